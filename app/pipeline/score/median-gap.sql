-- The shop's median average gap between orders, exactly as percentile_cont(0.5) over every aggregate with a gap
-- (the lower middle value plus half the step to the upper one), without sorting them all: the whole-day counts
-- ("GapDayCount", migration 20261207100200) say which day holds each middle position, and only that day's gaps
-- are read, in order, off the partial index CustomerAggregate(shop, avgDaysBetweenOrders). Null without any gap.
-- @param $1 shop text
-- @row gap float8?
WITH days AS MATERIALIZED (
  SELECT day, customers, (sum(customers) OVER (ORDER BY day))::bigint - customers AS before,
         (sum(customers) OVER ())::bigint AS total
  FROM "GapDayCount" WHERE shop = $1
), middle AS (
  -- Positions floor and ceil of (n − 1) / 2 (from 0), each read at its offset within the day holding it.
  SELECT p.i, (SELECT a."avgDaysBetweenOrders" FROM "CustomerAggregate" a
               WHERE a.shop = $1 AND a."avgDaysBetweenOrders" >= d.day AND a."avgDaysBetweenOrders" < d.day + 1
               ORDER BY a."avgDaysBetweenOrders" OFFSET p.pos - d.before LIMIT 1) AS v
  FROM (SELECT 1 AS i, floor((max(total) - 1) / 2.0)::bigint AS pos FROM days
        UNION ALL SELECT 2, ceil((max(total) - 1) / 2.0)::bigint FROM days) p
  JOIN days d ON d.before <= p.pos AND p.pos < d.before + d.customers
), ends AS (
  SELECT max(v) FILTER (WHERE i = 1) AS lo, max(v) FILTER (WHERE i = 2) AS hi,
         (SELECT ((max(total) - 1) / 2.0 - floor((max(total) - 1) / 2.0))::float8 FROM days) AS proportion
  FROM middle
)
-- percentile_cont's own interpolation (float8_lerp): lo + proportion × (hi − lo).
SELECT lo + (proportion * (hi - lo)) AS gap FROM ends
