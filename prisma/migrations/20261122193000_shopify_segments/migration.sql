-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "adminLocale" TEXT;

-- CreateTable
CREATE TABLE "ShopifySegment" (
    "shop" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "syncedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ShopifySegment_pkey" PRIMARY KEY ("shop","key")
);

