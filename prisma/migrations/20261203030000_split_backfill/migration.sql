-- A first backfill split into processed_at ranges, each its own bulk operation with its own resume point.
ALTER TABLE "SyncRun" ADD COLUMN "orderRanges" INTEGER NOT NULL DEFAULT 0;

CREATE TABLE "SyncRange" (
    "shop" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "fromAt" TIMESTAMPTZ(3),
    "toAt" TIMESTAMPTZ(3),
    "ordersExpected" INTEGER NOT NULL,
    "bulkOperationId" TEXT,
    "bulkStatus" TEXT,
    "resultUrl" TEXT,
    "linesCommitted" INTEGER NOT NULL DEFAULT 0,
    "ordersIngested" INTEGER NOT NULL DEFAULT 0,
    "done" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "SyncRange_pkey" PRIMARY KEY ("shop","runId","index")
);

CREATE INDEX "SyncRange_shop_bulkOperationId_idx" ON "SyncRange"("shop", "bulkOperationId");
