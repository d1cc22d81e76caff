-- CreateEnum
CREATE TYPE "AnchorMethod" AS ENUM ('created', 'kept', 'moved', 'fuzzy', 'orphaned', 'reattached');

-- AlterTable
ALTER TABLE "DocumentRevision" ADD COLUMN     "createdById" TEXT;

-- AlterTable
ALTER TABLE "Annotation" ADD COLUMN     "anchorMethod" "AnchorMethod" NOT NULL DEFAULT 'created',
ADD COLUMN     "anchorScore" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "AnnotationAnchor" (
    "annotationId" TEXT NOT NULL,
    "revisionId" TEXT NOT NULL,
    "exact" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "suffix" TEXT NOT NULL,
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    "state" "AnchorState" NOT NULL,
    "method" "AnchorMethod" NOT NULL,
    "score" DOUBLE PRECISION,

    CONSTRAINT "AnnotationAnchor_pkey" PRIMARY KEY ("annotationId","revisionId")
);

-- CreateIndex
CREATE INDEX "AnnotationAnchor_revisionId_idx" ON "AnnotationAnchor"("revisionId");

-- AddForeignKey
ALTER TABLE "DocumentRevision" ADD CONSTRAINT "DocumentRevision_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AnnotationAnchor" ADD CONSTRAINT "AnnotationAnchor_annotationId_fkey" FOREIGN KEY ("annotationId") REFERENCES "Annotation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AnnotationAnchor" ADD CONSTRAINT "AnnotationAnchor_revisionId_fkey" FOREIGN KEY ("revisionId") REFERENCES "DocumentRevision"("id") ON DELETE CASCADE ON UPDATE CASCADE;
