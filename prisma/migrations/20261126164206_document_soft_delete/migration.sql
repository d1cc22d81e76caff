-- AlterTable
ALTER TABLE "Document" ADD COLUMN     "deletedAt" TIMESTAMPTZ(3);
