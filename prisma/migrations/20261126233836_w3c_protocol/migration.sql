-- AlterTable
ALTER TABLE "Annotation" ADD COLUMN     "w3cCanonical" VARCHAR(2000),
ADD COLUMN     "w3cVia" VARCHAR(2000);
