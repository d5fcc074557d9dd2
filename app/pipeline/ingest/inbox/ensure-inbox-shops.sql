-- A turn row (InboxShop) for every shop with pending events, so a claim can lock it. Run outside the batch
-- transaction: an uncommitted insert would hold other workers' claims of the same new shop.
-- The pending shops by a skip scan of the pending index (one probe per shop, not per event).
WITH RECURSIVE pending(shop) AS (
  (SELECT w.shop FROM "WebhookInbox" w WHERE w."appliedAt" IS NULL AND w."deadAt" IS NULL ORDER BY w.shop LIMIT 1)
  UNION ALL
  SELECT (SELECT w.shop FROM "WebhookInbox" w
          WHERE w."appliedAt" IS NULL AND w."deadAt" IS NULL AND w.shop > p.shop ORDER BY w.shop LIMIT 1)
  FROM pending p WHERE p.shop IS NOT NULL
)
INSERT INTO "InboxShop" (shop)
SELECT p.shop FROM pending p
WHERE p.shop IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "InboxShop" s WHERE s.shop = p.shop)
ON CONFLICT DO NOTHING
