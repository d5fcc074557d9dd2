-- Per full scoring run: where the best customers come from (first products, coupon cohorts, monthly cohorts), computed
-- once by the rfm.insights job so the insights page reads one row.
CREATE TABLE "InsightRun" (
    "shop" TEXT NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "scoringRunId" BIGINT NOT NULL,
    "computedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "firstProducts" JSONB NOT NULL,
    "couponCohorts" JSONB NOT NULL,
    "cohorts" JSONB NOT NULL,
    "channels" JSONB,

    CONSTRAINT "InsightRun_pkey" PRIMARY KEY ("shop","id")
);
