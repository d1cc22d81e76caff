-- Full-text search over quotes and comments (docs/api.md, "Search"). Generated from Prisma's diff,
-- then edited by hand: the tsvector columns are GENERATED ALWAYS AS … STORED, which Prisma's
-- schema cannot express (the schema declares them as Unsupported("tsvector"); the drift test
-- compares type, nullability and default, which agree). `english` is stemmed and ranked;
-- `simple` keeps words as written, for names and codes.

-- AlterTable
ALTER TABLE "Annotation"
  ADD COLUMN "searchEnglish" tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, "exact")) STORED,
  ADD COLUMN "searchSimple" tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, "exact")) STORED;

-- AlterTable
ALTER TABLE "Comment"
  ADD COLUMN "searchEnglish" tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, "text")) STORED,
  ADD COLUMN "searchSimple" tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, "text")) STORED;

-- CreateIndex
CREATE INDEX "Annotation_searchEnglish_idx" ON "Annotation" USING GIN ("searchEnglish");

-- CreateIndex
CREATE INDEX "Annotation_searchSimple_idx" ON "Annotation" USING GIN ("searchSimple");

-- CreateIndex
CREATE INDEX "Comment_searchEnglish_idx" ON "Comment" USING GIN ("searchEnglish");

-- CreateIndex
CREATE INDEX "Comment_searchSimple_idx" ON "Comment" USING GIN ("searchSimple");
