-- Dead letters (events set aside after their last failed attempt), oldest first; $1 NULL = every shop.
-- @param $1 shop text?
-- @param $2 limit int4
-- @row shop text
-- @row seq int8
-- @row topic text
-- @row "webhookId" text
-- @row "receivedAt" timestamptz
-- @row "deadAt" timestamptz
-- @row attempts int4
-- @row "lastError" text?
SELECT shop, seq, topic, "webhookId", "receivedAt", "deadAt", attempts, "lastError"
FROM "WebhookInbox"
WHERE "deadAt" IS NOT NULL AND ($1::text IS NULL OR shop = $1)
ORDER BY shop, seq
LIMIT $2
