-- CreateIndex
CREATE INDEX "Annotation_revisionId_start_id_idx" ON "Annotation"("revisionId", "start", "id");
