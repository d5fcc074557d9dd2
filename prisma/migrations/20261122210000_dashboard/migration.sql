-- AlterTable
ALTER TABLE "ScoringRun" ADD COLUMN     "summary" JSONB;

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "scoringError" TEXT,
ADD COLUMN     "scoringStartedAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "WriteBackRun" (
    "shop" TEXT NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "scope" TEXT,
    "phase" TEXT NOT NULL,
    "tagCustomers" INTEGER,
    "metafieldCustomers" INTEGER,
    "segmentsChanged" INTEGER,
    "refused" INTEGER NOT NULL DEFAULT 0,
    "message" TEXT,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "WriteBackRun_pkey" PRIMARY KEY ("shop","id")
);

-- CreateIndex
CREATE INDEX "CustomerScore_shop_segment_monetary_customerId_idx" ON "CustomerScore"("shop", "segment", "monetary", "customerId");


-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "aggregatesStale" BOOLEAN NOT NULL DEFAULT false;
