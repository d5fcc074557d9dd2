-- A shop's next pending events in arrival order; `redacted`: customers/redact left a marker for its subject.
-- @param $1 shop text
-- @param $2 limit int4
-- @row seq int8
-- @row topic text
-- @row webhookId text
-- @row body text?
-- @row redacted bool
SELECT w.seq, w.topic, w."webhookId", w.body,
  EXISTS (
    SELECT 1 FROM "RedactionMarker" m
    WHERE m.shop = w.shop
      AND ((m.kind = 'customer' AND m.id = w."customerId") OR (m.kind = 'order' AND m.id = w."orderId"))
  ) AS redacted
FROM "WebhookInbox" w
WHERE w.shop = $1 AND w."appliedAt" IS NULL AND w."deadAt" IS NULL
ORDER BY w.seq
LIMIT $2
