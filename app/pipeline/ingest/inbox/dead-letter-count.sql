-- How many events of a shop are set aside.
-- @param $1 shop text
-- @row n int4
SELECT count(*)::int AS n FROM "WebhookInbox" WHERE shop = $1 AND "deadAt" IS NOT NULL
