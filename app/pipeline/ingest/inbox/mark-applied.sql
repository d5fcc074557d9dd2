-- The batch's events applied, its InboxBatch row, and the shop's turn served. No batch row when the batch erased
-- the shop (shop/redact deleted its turn row with the rest).
-- @param $1 shop text
-- @param $2 seqs int8[]
-- @param $3 worker text
-- @param $4 startedAt timestamptz
-- @row "batchId" int8
WITH batch AS (
  INSERT INTO "InboxBatch" (shop, worker, events, "firstSeq", "lastSeq", "startedAt")
  SELECT $1, $3, cardinality($2::bigint[]), min(s), max(s), $4::timestamptz FROM unnest($2::bigint[]) s
  HAVING EXISTS (SELECT 1 FROM "InboxShop" t WHERE t.shop = $1)
  RETURNING id
), applied AS (
  UPDATE "WebhookInbox" w SET "appliedAt" = clock_timestamp(), "batchId" = (SELECT id FROM batch)
  WHERE w.shop = $1 AND w.seq = ANY($2::bigint[])
), served AS (
  UPDATE "InboxShop" t SET "servedAt" = clock_timestamp() WHERE t.shop = $1
)
SELECT id AS "batchId" FROM batch
