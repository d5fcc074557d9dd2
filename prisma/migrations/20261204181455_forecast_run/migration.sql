-- One segment forecast and back-test per full scoring run (job rfm.forecast).
CREATE TABLE "ForecastRun" (
    "shop" TEXT NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "scoringRunId" BIGINT NOT NULL,
    "asOf" DATE NOT NULL,
    "historyStart" DATE,
    "observedMonths" INTEGER NOT NULL,
    "sufficient" BOOLEAN NOT NULL,
    "reason" TEXT,
    "segmentForecast" JSONB NOT NULL,
    "segmentBacktest" JSONB NOT NULL,
    "clvBacktest" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ForecastRun_pkey" PRIMARY KEY ("shop", "id")
);

CREATE INDEX "ForecastRun_shop_createdAt_idx" ON "ForecastRun"("shop", "createdAt");
