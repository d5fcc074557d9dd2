-- One bounded step of the batch prune: a shop's oldest $2 InboxBatch rows committed before $3 go, and their events
-- are added to InboxShop."prunedEvents" in the same statement, so the applied-events total never goes down.
-- @param $1 shop text
-- @param $2 limit int4
-- @param $3 before timestamptz
-- @row deleted int4
WITH page AS MATERIALIZED (
  SELECT id FROM "InboxBatch" WHERE shop = $1 AND "committedAt" < $3 ORDER BY id LIMIT $2
), gone AS (
  DELETE FROM "InboxBatch" b USING page p WHERE b.shop = $1 AND b.id = p.id RETURNING b.events
), tally AS (
  INSERT INTO "InboxShop" AS s (shop, "prunedEvents")
  SELECT $1, sum(events) FROM gone HAVING count(*) > 0
  ON CONFLICT (shop) DO UPDATE SET "prunedEvents" = s."prunedEvents" + EXCLUDED."prunedEvents"
)
SELECT (SELECT count(*) FROM gone)::int AS deleted
