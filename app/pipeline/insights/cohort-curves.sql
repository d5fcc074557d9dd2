-- Cohorts by the month of the first counted order (shop time zone): per cohort and months since that month, the net
-- spend of the cohort's counted orders placed then (after refunds) and how many customers placed their second then.
-- @param $1 shop text
-- @param $2 timezone text
-- @row cohort text
-- @row month_offset int4
-- @row net numeric
-- @row second_orders int4
WITH ranked AS (
  SELECT o."processedAt" AT TIME ZONE $2 AS local_at, o."currentTotalPrice" AS net,
         first_value(o."processedAt" AT TIME ZONE $2) OVER w AS first_local, row_number() OVER w AS n
  FROM "Order" o
  WHERE o.shop = $1 AND /*@include pipeline/aggregate/counted-order.fragment.sql*/
  WINDOW w AS (PARTITION BY o."customerId" ORDER BY o."processedAt", o.id)
)
SELECT to_char(first_local, 'YYYY-MM') AS cohort,
       ((extract(year FROM local_at) - extract(year FROM first_local)) * 12
         + extract(month FROM local_at) - extract(month FROM first_local))::int AS month_offset,
       sum(net) AS net, (count(*) FILTER (WHERE n = 2))::int AS second_orders
FROM ranked
GROUP BY 1, 2
