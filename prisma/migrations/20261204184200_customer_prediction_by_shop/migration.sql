-- CustomerPrediction partitioned by shop (LIST), as CustomerScore: every prediction run replaces a shop's whole set,
-- and for a large shop a fresh table loaded in key order, indexed afterwards and swapped in as the shop's partition
-- costs a fraction of a million index inserts (app/pipeline/predict/store-predictions.server.ts). Other shops live in
-- the default partition. The table is new (no rows yet), so it is simply recreated.
DROP TABLE "CustomerPrediction";

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
) PARTITION BY LIST (shop);

CREATE TABLE "CustomerPrediction_default" PARTITION OF "CustomerPrediction" DEFAULT;

CREATE INDEX "CustomerPrediction_shop_predictedValue12m_customerId_idx"
    ON "CustomerPrediction"("shop", "predictedValue12m", "customerId");
