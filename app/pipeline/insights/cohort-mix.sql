-- Each first-order-month cohort's size (segment NULL) and its customers per current segment (shop time zone).
-- @param $1 shop text
-- @param $2 timezone text
-- @row cohort text
-- @row segment text?
-- @row customers int4
SELECT cohort, CASE WHEN GROUPING(segment) = 0 THEN segment END AS segment, count(*)::int AS customers
FROM (
  SELECT to_char(a."firstOrderAt" AT TIME ZONE $2, 'YYYY-MM') AS cohort, s.segment
  FROM "CustomerAggregate" a
  LEFT JOIN "CustomerScore" s ON s.shop = a.shop AND s."customerId" = a."customerId"
  WHERE a.shop = $1
) x
GROUP BY GROUPING SETS ((cohort), (cohort, segment))
HAVING GROUPING(segment) = 1 OR segment IS NOT NULL
