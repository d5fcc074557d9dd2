-- Customers whose score changed or went since their tags and metafields were last written: a changed-scope
-- write-back compares only these (one indexed pass) instead of scanning every score.
CREATE TABLE "WriteBackPending" (
    "shop" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "seq" BIGSERIAL NOT NULL,

    CONSTRAINT "WriteBackPending_pkey" PRIMARY KEY ("shop","customerId")
);

-- A scoring run that needs every customer compared (a shop's first scores) says so here.
ALTER TABLE "Shop" ADD COLUMN "writeBackFullWantedAt" TIMESTAMPTZ(3);
