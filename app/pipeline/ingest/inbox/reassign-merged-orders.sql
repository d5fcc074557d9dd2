-- After recording merges: the orders of each merged-away customer move to the end of its merge chain (at most 10
-- hops). Returns every customer on the chains (their aggregates change).
-- @param $1 shop text
-- @param $2 fromIds int8[]
-- @row "customerId" int8
WITH RECURSIVE chain AS (
  SELECT f AS start, f AS cur, 0 AS hops FROM unnest($2::bigint[]) AS f
  UNION ALL
  SELECT c.start, m."intoId", c.hops + 1
  FROM chain c JOIN "CustomerMerge" m ON m.shop = $1 AND m."fromId" = c.cur
  WHERE c.hops < 10
), resolved AS (
  SELECT DISTINCT ON (start) start, cur FROM chain ORDER BY start, hops DESC
), moved AS (
  UPDATE "Order" o SET "customerId" = r.cur
  FROM resolved r
  WHERE o.shop = $1 AND o."customerId" = r.start AND r.cur <> r.start
)
SELECT c.cur AS "customerId" FROM chain c
UNION
SELECT c.start FROM chain c
