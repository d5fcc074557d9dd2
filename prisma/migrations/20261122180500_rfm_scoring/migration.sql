-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "rfm" JSONB;

-- CreateTable
CREATE TABLE "ScoringRun" (
    "shop" TEXT NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "asOf" DATE NOT NULL,
    "scale" INTEGER NOT NULL,
    "windowMonths" INTEGER,
    "settings" JSONB NOT NULL,
    "customers" INTEGER NOT NULL,
    "cutoffs" JSONB NOT NULL,
    "stats" JSONB NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ScoringRun_pkey" PRIMARY KEY ("shop","id")
);

-- CreateTable
CREATE TABLE "CustomerScore" (
    "shop" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "lastOrderDate" DATE NOT NULL,
    "frequency" INTEGER NOT NULL,
    "monetary" DECIMAL(18,4) NOT NULL,
    "r" INTEGER NOT NULL,
    "f" INTEGER NOT NULL,
    "m" INTEGER NOT NULL,
    "segment" TEXT NOT NULL,
    "segmentSince" DATE NOT NULL,
    "candidateSegment" TEXT,
    "candidateRuns" INTEGER NOT NULL DEFAULT 0,
    "behaviours" TEXT[],
    "behaviourSince" DATE[],
    "scoredRunId" BIGINT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerScore_pkey" PRIMARY KEY ("shop","customerId")
);

-- CreateTable
CREATE TABLE "SegmentMembership" (
    "shop" TEXT NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "customerId" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "segment" TEXT NOT NULL,
    "validFrom" DATE NOT NULL,
    "validTo" DATE NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SegmentMembership_pkey" PRIMARY KEY ("shop","id")
);

-- CreateTable
CREATE TABLE "CustomerEngagement" (
    "shop" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "lastVisitAt" TIMESTAMPTZ(3),
    "lastEmailClickAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerEngagement_pkey" PRIMARY KEY ("shop","customerId")
);

-- CreateTable
CREATE TABLE "PendingRescore" (
    "shop" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PendingRescore_pkey" PRIMARY KEY ("shop","customerId")
);

-- CreateIndex
CREATE INDEX "ScoringRun_shop_kind_finishedAt_idx" ON "ScoringRun"("shop", "kind", "finishedAt");

-- CreateIndex
CREATE INDEX "SegmentMembership_shop_customerId_idx" ON "SegmentMembership"("shop", "customerId");

-- CreateIndex
CREATE INDEX "SegmentMembership_shop_validTo_idx" ON "SegmentMembership"("shop", "validTo");

