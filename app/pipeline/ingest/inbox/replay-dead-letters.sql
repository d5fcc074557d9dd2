-- Replay: a shop's dead letters (one seq, or all with $2 NULL) go back into the queue with a fresh set of attempts;
-- the applier takes them in their original arrival order.
-- @param $1 shop text
-- @param $2 seq int8?
-- @row seq int8
-- @row topic text
UPDATE "WebhookInbox" SET "deadAt" = NULL, attempts = 0
WHERE shop = $1 AND "deadAt" IS NOT NULL AND ($2::bigint IS NULL OR seq = $2)
RETURNING seq, topic
