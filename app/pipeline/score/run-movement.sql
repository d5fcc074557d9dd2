-- A run's movement from $2 to the run's day $3 ($2 ≤ $3): what segment-transitions.sql counts, reading only the
-- customers with an ended stay after $2 (SegmentMembership by validTo) instead of every score. Everyone else has
-- no stay on either date but their open one, so counts as (segment, segment) when it began by $2 and as
-- (none, segment) when it began between the dates: read from the open stays' counts (ScoreStay), less the
-- customers counted one by one.
-- @param $1 shop text
-- @param $2 from date
-- @param $3 to date
-- @row from text?
-- @row to text?
-- @row customers int4
WITH ended AS MATERIALIZED (
  SELECT DISTINCT "customerId" AS cid FROM "SegmentMembership" WHERE shop = $1 AND kind = 'rfm' AND "validTo" > $2::date
), ended_open AS MATERIALIZED (
  SELECT s."customerId" AS cid, s.segment, s."segmentSince" AS since
  FROM ended e JOIN "CustomerScore" s ON s.shop = $1 AND s."customerId" = e.cid
), moved AS (
  SELECT a.segment AS "from", b.segment AS "to", count(*) AS n
  FROM (
    SELECT "customerId" AS cid, segment FROM "SegmentMembership"
    WHERE shop = $1 AND kind = 'rfm' AND "validFrom" <= $2::date AND "validTo" > $2::date
    UNION ALL
    SELECT cid, segment FROM ended_open WHERE since <= $2::date
  ) a FULL JOIN (
    SELECT "customerId" AS cid, segment FROM "SegmentMembership"
    WHERE shop = $1 AND kind = 'rfm' AND "validFrom" <= $3::date AND "validTo" > $3::date
    UNION ALL
    SELECT cid, segment FROM ended_open WHERE since <= $3::date
  ) b ON a.cid = b.cid
  GROUP BY 1, 2
), stayed AS (
  SELECT CASE WHEN since <= $2::date THEN k END AS "from", k AS "to", customers AS n
  FROM "ScoreStay" WHERE shop = $1 AND kind = 'rfm' AND since <= $3::date
  UNION ALL
  SELECT CASE WHEN since <= $2::date THEN segment END, segment, -1 FROM ended_open WHERE since <= $3::date
)
SELECT "from", "to", sum(n)::int AS customers FROM (SELECT * FROM moved UNION ALL SELECT * FROM stayed) x
GROUP BY 1, 2 HAVING sum(n) <> 0
ORDER BY 3 DESC, 1 NULLS FIRST, 2
