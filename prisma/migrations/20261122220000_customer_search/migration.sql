-- Trigram matching for the segment page search (trusted extension: no superuser needed on PostgreSQL 13+).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "Customer_email_idx" ON "Customer" USING GIN ("email" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Customer_firstName_idx" ON "Customer" USING GIN ("firstName" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Customer_lastName_idx" ON "Customer" USING GIN ("lastName" gin_trgm_ops);

