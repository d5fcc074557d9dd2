-- Per shop for /metrics: pending events and the oldest one's arrival, dead letters, and events applied so far (the
-- kept InboxBatch rows plus those the prune folded into InboxShop."prunedEvents"). Pending and dead rows are read
-- through their partial indexes, never by scanning the applied rows.
-- @row shop text
-- @row pending int8
-- @row "oldestPendingAt" timestamptz?
-- @row dead int8
-- @row applied int8
WITH pending AS (
  SELECT shop, count(*) AS n, min("receivedAt") AS oldest FROM "WebhookInbox"
  WHERE "appliedAt" IS NULL AND "deadAt" IS NULL GROUP BY shop
), dead AS (
  SELECT shop, count(*) AS n FROM "WebhookInbox" WHERE "deadAt" IS NOT NULL GROUP BY shop
), batches AS (
  SELECT shop, sum(events) AS n FROM "InboxBatch" GROUP BY shop
), shops AS (
  SELECT shop FROM "InboxShop" UNION SELECT shop FROM pending UNION SELECT shop FROM dead UNION SELECT shop FROM batches
)
SELECT s.shop, coalesce(p.n, 0)::int8 AS pending, p.oldest AS "oldestPendingAt", coalesce(d.n, 0)::int8 AS dead,
       (coalesce(b.n, 0) + coalesce(i."prunedEvents", 0))::int8 AS applied
FROM shops s
LEFT JOIN pending p USING (shop) LEFT JOIN dead d USING (shop) LEFT JOIN batches b USING (shop)
LEFT JOIN "InboxShop" i USING (shop)
ORDER BY s.shop
