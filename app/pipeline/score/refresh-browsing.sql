-- "Browses often, never bought" after a full run: $2 are today's members (pixel/browsers-never-bought.sql). Who
-- joined gets a row (since $3) and, with $4, a Flow event (no previous segment, new segment 'browsing', R/F/M 0:
-- nothing bought, nothing scored); who joined or left is marked for write-back (their tag).
-- @param $1 shop text
-- @param $2 members int8[]
-- @param $3 asOf date
-- @param $4 fireFlow bool
-- @row joined int4
-- @row left int4
-- @row flowEvents int4
-- @row marked int4
WITH members AS (SELECT DISTINCT unnest($2::bigint[]) AS id),
gone AS (
  DELETE FROM "CustomerBrowsing" b WHERE b.shop = $1 AND NOT b."customerId" = ANY($2::bigint[])
  RETURNING b."customerId"
), joined AS (
  INSERT INTO "CustomerBrowsing" (shop, "customerId", since) SELECT $1, id, $3::date FROM members
  ON CONFLICT (shop, "customerId") DO NOTHING
  RETURNING "customerId"
), flow AS (
  INSERT INTO "FlowTriggerEvent" (shop, "customerId", "fromSegment", "toSegment", r, f, m, "changedOn")
  SELECT $1, "customerId", NULL, 'browsing', 0, 0, 0, $3::date FROM joined WHERE $4::boolean ORDER BY 1
  RETURNING 1
), marked AS (
  INSERT INTO "WriteBackPending" (shop, "customerId")
  SELECT $1, "customerId" FROM (SELECT "customerId" FROM gone UNION SELECT "customerId" FROM joined) x
  ON CONFLICT (shop, "customerId") DO UPDATE SET seq = EXCLUDED.seq
  RETURNING 1
)
SELECT (SELECT count(*) FROM joined)::int AS joined, (SELECT count(*) FROM gone)::int AS "left",
       (SELECT count(*) FROM flow)::int AS "flowEvents", (SELECT count(*) FROM marked)::int AS marked
