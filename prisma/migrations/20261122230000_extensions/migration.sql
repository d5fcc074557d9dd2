-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "pixelKey" TEXT,
ADD COLUMN     "webPixelId" TEXT;

-- CreateTable
CREATE TABLE "FlowTriggerEvent" (
    "shop" TEXT NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "customerId" BIGINT NOT NULL,
    "fromSegment" TEXT,
    "toSegment" TEXT NOT NULL,
    "r" INTEGER NOT NULL,
    "f" INTEGER NOT NULL,
    "m" INTEGER NOT NULL,
    "changedOn" DATE NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,

    CONSTRAINT "FlowTriggerEvent_pkey" PRIMARY KEY ("shop","id")
);

-- CreateTable
CREATE TABLE "CustomerVisitDay" (
    "shop" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "day" DATE NOT NULL,

    CONSTRAINT "CustomerVisitDay_pkey" PRIMARY KEY ("shop","customerId","day")
);

-- CreateIndex
CREATE INDEX "FlowTriggerEvent_shop_sentAt_id_idx" ON "FlowTriggerEvent"("shop", "sentAt", "id");

