-- The next shop to serve, its turn row locked for this batch (other workers skip it). Fair order: a shop whose
-- oldest pending event arrived after its last service goes first (oldest such event first), then the backlogged
-- shops by their last service — so one shop's backlog never holds back another shop's new event.
-- @row shop text
-- @row known bool
WITH RECURSIVE pending(shop) AS (
  (SELECT w.shop FROM "WebhookInbox" w WHERE w."appliedAt" IS NULL AND w."deadAt" IS NULL ORDER BY w.shop LIMIT 1)
  UNION ALL
  SELECT (SELECT w.shop FROM "WebhookInbox" w
          WHERE w."appliedAt" IS NULL AND w."deadAt" IS NULL AND w.shop > p.shop ORDER BY w.shop LIMIT 1)
  FROM pending p WHERE p.shop IS NOT NULL
)
SELECT s.shop, EXISTS (SELECT 1 FROM "Shop" sh WHERE sh.shop = s.shop) AS known
FROM "InboxShop" s
JOIN pending p ON p.shop = s.shop
CROSS JOIN LATERAL (
  SELECT w."receivedAt" FROM "WebhookInbox" w
  WHERE w.shop = s.shop AND w."appliedAt" IS NULL AND w."deadAt" IS NULL ORDER BY w.seq LIMIT 1
) oldest
ORDER BY (s."servedAt" IS NULL OR oldest."receivedAt" > s."servedAt") DESC,
  CASE WHEN s."servedAt" IS NULL OR oldest."receivedAt" > s."servedAt" THEN oldest."receivedAt" END,
  s."servedAt"
LIMIT 1
FOR UPDATE OF s SKIP LOCKED
