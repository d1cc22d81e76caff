-- CreateEnum
CREATE TYPE "AnnotationScope" AS ENUM ('passage', 'document');

-- AlterTable
ALTER TABLE "Annotation" ADD COLUMN     "scope" "AnnotationScope" NOT NULL DEFAULT 'passage';
