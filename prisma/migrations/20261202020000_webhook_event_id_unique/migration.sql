-- Exactly once per Shopify event (X-Shopify-Event-Id), not only per delivery (X-Shopify-Webhook-Id).
-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_shop_topic_eventId_key" ON "WebhookDelivery"("shop", "topic", "eventId");
