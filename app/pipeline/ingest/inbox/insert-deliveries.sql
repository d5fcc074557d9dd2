-- The receiver's one write: every delivery of a group commit in one statement, in arrival order (seq follows the
-- array order). A delivery or event already in the inbox is skipped (Shopify's duplicate guidance: same
-- X-Shopify-Webhook-Id, or same X-Shopify-Event-Id for the topic); RETURNING names the ones stored.
-- @param $1 shops text[]
-- @param $2 webhookIds text[]
-- @param $3 topics text[]
-- @param $4 eventIds text[]
-- @param $5 headers text[]
-- @param $6 bodies text[]
-- @param $7 customerIds int8[]
-- @param $8 orderIds int8[]
-- @row shop text
-- @row "webhookId" text
INSERT INTO "WebhookInbox" (shop, "webhookId", topic, "eventId", headers, body, "customerId", "orderId")
SELECT d.shop, d.webhook_id, d.topic, NULLIF(d.event_id, ''), d.headers::jsonb, d.body, NULLIF(d.customer_id, 0), NULLIF(d.order_id, 0)
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int8[], $8::int8[])
  WITH ORDINALITY AS d(shop, webhook_id, topic, event_id, headers, body, customer_id, order_id, n)
ORDER BY d.n
ON CONFLICT DO NOTHING
RETURNING shop, "webhookId"
