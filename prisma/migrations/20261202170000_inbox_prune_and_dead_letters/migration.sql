-- Events of the InboxBatch rows the prune deleted: the applied-events total in /metrics stays a counter.
ALTER TABLE "InboxShop" ADD COLUMN "prunedEvents" BIGINT NOT NULL DEFAULT 0;

-- Dead letters (set aside, waiting for a replay): few rows, read by the dashboard, /metrics and `npm run inbox`
-- without scanning the inbox. Partial, so deliveries (inserted with "deadAt" NULL) never touch it.
CREATE INDEX "WebhookInbox_dead_idx" ON "WebhookInbox"("shop", "seq") WHERE "deadAt" IS NOT NULL;
