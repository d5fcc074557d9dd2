-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "ordersSyncedAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "ShopSettings" (
    "shop" TEXT NOT NULL,
    "peakSeasons" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ShopSettings_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "Order" (
    "shop" TEXT NOT NULL,
    "id" BIGINT NOT NULL,
    "customerId" BIGINT,
    "name" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "processedAt" TIMESTAMPTZ(3) NOT NULL,
    "shopifyUpdatedAt" TIMESTAMPTZ(3) NOT NULL,
    "cancelledAt" TIMESTAMPTZ(3),
    "test" BOOLEAN NOT NULL DEFAULT false,
    "deletedAt" TIMESTAMPTZ(3),
    "currency" TEXT NOT NULL,
    "totalPrice" DECIMAL(18,4) NOT NULL,
    "currentTotalPrice" DECIMAL(18,4) NOT NULL,
    "totalRefunded" DECIMAL(18,4) NOT NULL,
    "presentmentTotalPrice" DECIMAL(18,4),
    "discountCodes" TEXT[],
    "ingestedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("shop","id")
);

-- CreateTable
CREATE TABLE "OrderLine" (
    "shop" TEXT NOT NULL,
    "orderId" BIGINT NOT NULL,
    "id" BIGINT NOT NULL,
    "productId" BIGINT,
    "vendor" TEXT,
    "quantity" INTEGER NOT NULL,
    "amount" DECIMAL(18,4) NOT NULL,

    CONSTRAINT "OrderLine_pkey" PRIMARY KEY ("shop","orderId","id")
);

-- CreateTable
CREATE TABLE "Refund" (
    "shop" TEXT NOT NULL,
    "id" BIGINT NOT NULL,
    "orderId" BIGINT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "amount" DECIMAL(18,4) NOT NULL,

    CONSTRAINT "Refund_pkey" PRIMARY KEY ("shop","id")
);

-- CreateTable
CREATE TABLE "Customer" (
    "shop" TEXT NOT NULL,
    "id" BIGINT NOT NULL,
    "email" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "locale" TEXT,
    "tags" TEXT[],
    "emailMarketingState" TEXT,
    "shopifyCreatedAt" TIMESTAMPTZ(3),
    "shopifyUpdatedAt" TIMESTAMPTZ(3) NOT NULL,
    "deletedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("shop","id")
);

-- CreateTable
CREATE TABLE "CustomerMerge" (
    "shop" TEXT NOT NULL,
    "fromId" BIGINT NOT NULL,
    "intoId" BIGINT NOT NULL,
    "mergedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerMerge_pkey" PRIMARY KEY ("shop","fromId")
);

-- CreateTable
CREATE TABLE "CustomerAggregate" (
    "shop" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "firstOrderAt" TIMESTAMPTZ(3) NOT NULL,
    "lastOrderAt" TIMESTAMPTZ(3) NOT NULL,
    "orderCount" INTEGER NOT NULL,
    "grossSpend" DECIMAL(18,4) NOT NULL,
    "netSpend" DECIMAL(18,4) NOT NULL,
    "avgOrderValue" DECIMAL(18,4) NOT NULL,
    "refundCount" INTEGER NOT NULL,
    "refundAmount" DECIMAL(18,4) NOT NULL,
    "lastRefundAt" TIMESTAMPTZ(3),
    "discountOrderCount" INTEGER NOT NULL,
    "firstOrderDiscounted" BOOLEAN NOT NULL,
    "firstOrderPeak" TEXT,
    "avgDaysBetweenOrders" DOUBLE PRECISION,
    "orders365" INTEGER NOT NULL,
    "gross365" DECIMAL(18,4) NOT NULL,
    "net365" DECIMAL(18,4) NOT NULL,
    "windowEnd" TIMESTAMPTZ(3) NOT NULL,
    "computedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerAggregate_pkey" PRIMARY KEY ("shop","customerId")
);

-- CreateTable
CREATE TABLE "SyncRun" (
    "shop" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "phase" TEXT,
    "bulkOperationId" TEXT,
    "bulkStatus" TEXT,
    "errorCode" TEXT,
    "resultUrl" TEXT,
    "message" TEXT,
    "partial" BOOLEAN NOT NULL DEFAULT false,
    "updatedSince" TIMESTAMPTZ(3),
    "limitedTo60Days" BOOLEAN NOT NULL DEFAULT false,
    "ordersExpected" INTEGER,
    "linesCommitted" INTEGER NOT NULL DEFAULT 0,
    "ordersIngested" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ingestStartedAt" TIMESTAMPTZ(3),
    "heartbeatAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "SyncRun_pkey" PRIMARY KEY ("shop","id")
);

-- CreateIndex
CREATE INDEX "Order_shop_customerId_idx" ON "Order"("shop", "customerId");

-- CreateIndex
CREATE INDEX "Refund_shop_orderId_idx" ON "Refund"("shop", "orderId");

-- CreateIndex
CREATE INDEX "SyncRun_shop_startedAt_idx" ON "SyncRun"("shop", "startedAt");
