-- Every customer's (x, t_x, T) in days as of the scoring run's local date, as app/domain/clv/summary.ts defines
-- it: orders on the same local day are one transaction, x counts the days after the first. Customers come straight
-- from the aggregates (distinct local order days, first-day net value) when those were counted in this time zone
-- and hold no order after the date; only the others' orders are read and grouped by local day.
-- @setup pipeline/predict/create-summary-stage.sql
-- @param $1 shop text
-- @param $2 asOf date
-- @param $3 timezone text
WITH unkept AS (
  SELECT a."customerId" AS cid FROM "CustomerAggregate" a
  WHERE a.shop = $1 AND a."orderCount" > 1 AND (a."firstOrderAt" AT TIME ZONE $3)::date <= $2::date
    AND (a."orderDays" IS NULL OR a."orderDaysZone" IS DISTINCT FROM $3
         OR (a."lastOrderAt" AT TIME ZONE $3)::date > $2::date)
), repeat_days AS (
  SELECT o."customerId" AS cid, (o."processedAt" AT TIME ZONE $3)::date AS d, sum(o."currentTotalPrice") AS v
  FROM "Order" o JOIN unkept u ON u.cid = o."customerId"
  WHERE o.shop = $1 AND /*@include pipeline/aggregate/counted-order.fragment.sql*/
    AND (o."processedAt" AT TIME ZONE $3)::date <= $2::date
  GROUP BY 1, 2
), repeaters AS (
  SELECT cid, min(d) AS first_d, max(d) AS last_d, count(*)::int - 1 AS x,
         sum(v) - (array_agg(v ORDER BY d))[1] AS repeat_value
  FROM repeat_days GROUP BY cid
), kept AS (
  SELECT a."customerId" AS cid, (a."firstOrderAt" AT TIME ZONE $3)::date AS first_d,
         CASE WHEN a."orderCount" = 1 THEN (a."firstOrderAt" AT TIME ZONE $3)::date
              ELSE (a."lastOrderAt" AT TIME ZONE $3)::date END AS last_d,
         CASE WHEN a."orderCount" = 1 THEN 0 ELSE a."orderDays" - 1 END AS x,
         CASE WHEN a."orderCount" = 1 THEN 0 ELSE a."netSpend" - a."firstDayNet" END AS repeat_value
  FROM "CustomerAggregate" a
  WHERE a.shop = $1 AND (a."firstOrderAt" AT TIME ZONE $3)::date <= $2::date
    AND (a."orderCount" = 1 OR (a."orderDays" IS NOT NULL AND a."orderDaysZone" = $3
                                AND (a."lastOrderAt" AT TIME ZONE $3)::date <= $2::date))
)
INSERT INTO rfm_customer_summary ("customerId", x, "txDays", "TDays", "meanRepeatValue")
SELECT cid, x, last_d - first_d, $2::date - first_d,
       CASE WHEN x > 0 THEN (repeat_value / x)::float8 ELSE 0 END
FROM (SELECT * FROM kept UNION ALL SELECT cid, first_d, last_d, x, repeat_value FROM repeaters) s
