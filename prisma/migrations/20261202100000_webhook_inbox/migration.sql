-- DropTable: the inbox replaces the applied-deliveries ledger (it holds the same two keys).
DROP TABLE "WebhookDelivery";

-- CreateTable
CREATE TABLE "WebhookInbox" (
    "shop" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "webhookId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "eventId" TEXT,
    "headers" JSONB NOT NULL,
    "body" TEXT,
    "customerId" BIGINT,
    "orderId" BIGINT,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "appliedAt" TIMESTAMPTZ(3),
    "batchId" BIGINT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "deadAt" TIMESTAMPTZ(3),
    "purgedAt" TIMESTAMPTZ(3),

    CONSTRAINT "WebhookInbox_pkey" PRIMARY KEY ("shop","seq")
);

-- CreateTable
CREATE TABLE "InboxShop" (
    "shop" TEXT NOT NULL,
    "servedAt" TIMESTAMPTZ(3),

    CONSTRAINT "InboxShop_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "InboxBatch" (
    "shop" TEXT NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "worker" TEXT NOT NULL,
    "events" INTEGER NOT NULL,
    "firstSeq" BIGINT NOT NULL,
    "lastSeq" BIGINT NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "committedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InboxBatch_pkey" PRIMARY KEY ("shop","id")
);

-- CreateTable
CREATE TABLE "RedactionMarker" (
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "id" BIGINT NOT NULL,
    "redactedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RedactionMarker_pkey" PRIMARY KEY ("shop","kind","id")
);

-- CreateIndex
CREATE UNIQUE INDEX "WebhookInbox_shop_webhookId_key" ON "WebhookInbox"("shop", "webhookId");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookInbox_shop_topic_eventId_key" ON "WebhookInbox"("shop", "topic", "eventId");

-- The applier's queue: pending events of a shop in arrival order (partial: applied rows are most of the table).
CREATE INDEX "WebhookInbox_pending_idx" ON "WebhookInbox"("shop", "seq") WHERE "appliedAt" IS NULL AND "deadAt" IS NULL;
