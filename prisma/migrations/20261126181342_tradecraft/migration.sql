-- CreateEnum
CREATE TYPE "Likelihood" AS ENUM ('almost_no_chance', 'very_unlikely', 'unlikely', 'roughly_even', 'likely', 'very_likely', 'almost_certain');

-- CreateEnum
CREATE TYPE "Confidence" AS ENUM ('low', 'moderate', 'high');

-- CreateEnum
CREATE TYPE "Reliability" AS ENUM ('A', 'B', 'C', 'D', 'E', 'F');

-- CreateEnum
CREATE TYPE "Outcome" AS ENUM ('accepted', 'rejected', 'needs_source', 'escalated');

-- CreateEnum
CREATE TYPE "LinkType" AS ENUM ('supports', 'contradicts', 'depends_on');

-- AlterTable
ALTER TABLE "Annotation" ADD COLUMN     "confidence" "Confidence",
ADD COLUMN     "credibility" SMALLINT,
ADD COLUMN     "likelihood" "Likelihood",
ADD COLUMN     "needsSource" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "outcome" "Outcome",
ADD COLUMN     "outcomeRationale" VARCHAR(2000),
ADD COLUMN     "reliability" "Reliability",
ADD COLUMN     "source" VARCHAR(2000);

-- CreateTable
CREATE TABLE "AnnotationLink" (
    "id" TEXT NOT NULL,
    "documentId" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "type" "LinkType" NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AnnotationLink_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AnnotationLink_targetId_idx" ON "AnnotationLink"("targetId");

-- CreateIndex
CREATE INDEX "AnnotationLink_documentId_idx" ON "AnnotationLink"("documentId");

-- CreateIndex
CREATE UNIQUE INDEX "AnnotationLink_sourceId_targetId_type_key" ON "AnnotationLink"("sourceId", "targetId", "type");

-- AddForeignKey
ALTER TABLE "AnnotationLink" ADD CONSTRAINT "AnnotationLink_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AnnotationLink" ADD CONSTRAINT "AnnotationLink_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Annotation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AnnotationLink" ADD CONSTRAINT "AnnotationLink_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "Annotation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AnnotationLink" ADD CONSTRAINT "AnnotationLink_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
