-- One event failed to apply: count it; at the last allowed attempt it is set aside (dead letter) with its error.
-- @param $1 shop text
-- @param $2 seq int8
-- @param $3 error text
-- @param $4 maxAttempts int4
-- @row attempts int4
-- @row dead bool
UPDATE "WebhookInbox" w
SET attempts = w.attempts + 1, "lastError" = $3,
    "deadAt" = CASE WHEN w.attempts + 1 >= $4 THEN clock_timestamp() END
WHERE w.shop = $1 AND w.seq = $2
RETURNING w.attempts, w."deadAt" IS NOT NULL AS dead
