-- The shops that hold inbox or batch rows: a loose index scan over each primary key (one probe per shop, no full scan).
-- @row shop text
WITH RECURSIVE inbox AS (
  (SELECT shop FROM "WebhookInbox" ORDER BY shop LIMIT 1)
  UNION ALL
  SELECT (SELECT w.shop FROM "WebhookInbox" w WHERE w.shop > i.shop ORDER BY w.shop LIMIT 1) FROM inbox i WHERE i.shop IS NOT NULL
), batches AS (
  (SELECT shop FROM "InboxBatch" ORDER BY shop LIMIT 1)
  UNION ALL
  SELECT (SELECT b.shop FROM "InboxBatch" b WHERE b.shop > s.shop ORDER BY b.shop LIMIT 1) FROM batches s WHERE s.shop IS NOT NULL
)
SELECT shop FROM inbox WHERE shop IS NOT NULL UNION SELECT shop FROM batches WHERE shop IS NOT NULL ORDER BY 1
