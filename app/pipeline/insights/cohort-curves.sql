-- Cohorts by the month of the first counted order (shop time zone): per cohort and months since that month, the net
-- spend of the cohort's counted orders placed then (after refunds) and how many customers placed their second then.
-- @setup pipeline/insights/create-insight-buyers.sql
-- @param $1 shop text
-- @param $2 timezone text
-- @row cohort text
-- @row month_offset int4
-- @row net numeric
-- @row second_orders int4
WITH spend AS (
  SELECT b.cohort, (date_part('year', l.at) * 12 + date_part('month', l.at) - 1)::int - b.cohort_month AS month_offset,
         sum(l.net) AS net
  FROM (
    SELECT o."customerId" AS cid, o."processedAt" AT TIME ZONE $2 AS at, o."currentTotalPrice" AS net
    FROM "Order" o
    WHERE o.shop = $1 AND /*@include pipeline/aggregate/counted-order.fragment.sql*/
  ) l
  JOIN insight_buyer b USING (cid)
  GROUP BY 1, 2
), seconds AS (
  SELECT cohort, second_offset AS month_offset, count(*)::int AS second_orders
  FROM insight_buyer WHERE second_offset IS NOT NULL
  GROUP BY 1, 2
)
-- A second order is itself an order of its month: every month with one has spend.
SELECT s.cohort, s.month_offset, s.net, coalesce(c.second_orders, 0) AS second_orders
FROM spend s LEFT JOIN seconds c USING (cohort, month_offset)
