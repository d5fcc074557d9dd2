-- One fit of a shop's purchase model (issue 17), following a full scoring run. An insufficient run says why
-- (reason) and has no CustomerPrediction rows.
CREATE TABLE "PredictionRun" (
    "shop" TEXT NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "scoringRunId" BIGINT NOT NULL,
    "model" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "params" JSONB,
    "ll" DOUBLE PRECISION,
    "converged" BOOLEAN,
    "distinctTuples" INTEGER NOT NULL,
    "customers" INTEGER NOT NULL,
    "repeatCustomers" INTEGER NOT NULL,
    "sufficient" BOOLEAN NOT NULL,
    "reason" TEXT,
    "gammaGamma" JSONB,
    "spendCorrelation" DOUBLE PRECISION,
    "summary" JSONB,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "PredictionRun_pkey" PRIMARY KEY ("shop","id")
);

-- Each customer's latest prediction, beside CustomerScore.
CREATE TABLE "CustomerPrediction" (
    "shop" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "runId" BIGINT NOT NULL,
    "pAlive" DOUBLE PRECISION NOT NULL,
    "expectedOrders90" DOUBLE PRECISION NOT NULL,
    "expectedOrders365" DOUBLE PRECISION NOT NULL,
    "pOrder30" DOUBLE PRECISION NOT NULL,
    "pNoOrder90" DOUBLE PRECISION NOT NULL,
    "expectedAverageValue" DOUBLE PRECISION,
    "predictedValue12m" DOUBLE PRECISION,

    CONSTRAINT "CustomerPrediction_pkey" PRIMARY KEY ("shop","customerId")
);

-- The segment pages' "predicted value" sort pages off this (keyset: value, id).
CREATE INDEX "CustomerPrediction_shop_predictedValue12m_customerId_idx"
    ON "CustomerPrediction"("shop", "predictedValue12m", "customerId");
