-- Every customer's (x, t_x, T) in days as of the scoring run's local date, as app/domain/clv/summary.ts defines
-- it: orders on the same local day are one transaction, x counts the days after the first. One-order customers
-- come straight from the aggregates; only repeat customers' orders are read (their local days and net values).
-- @setup pipeline/predict/create-summary-stage.sql
-- @param $1 shop text
-- @param $2 asOf date
-- @param $3 timezone text
WITH repeat_days AS (
  SELECT o."customerId" AS cid, (o."processedAt" AT TIME ZONE $3)::date AS d, sum(o."currentTotalPrice") AS v
  FROM "Order" o JOIN "CustomerAggregate" a ON a.shop = o.shop AND a."customerId" = o."customerId"
  WHERE o.shop = $1 AND a."orderCount" > 1 AND /*@include pipeline/aggregate/counted-order.fragment.sql*/
    AND (o."processedAt" AT TIME ZONE $3)::date <= $2::date
  GROUP BY 1, 2
), repeaters AS (
  SELECT cid, min(d) AS first_d, max(d) AS last_d, count(*)::int - 1 AS x,
         sum(v) - (array_agg(v ORDER BY d))[1] AS repeat_value
  FROM repeat_days GROUP BY cid
)
INSERT INTO rfm_customer_summary ("customerId", x, "txDays", "TDays", "meanRepeatValue")
SELECT a."customerId", coalesce(r.x, 0),
       coalesce(r.last_d - r.first_d, 0),
       $2::date - coalesce(r.first_d, (a."firstOrderAt" AT TIME ZONE $3)::date),
       CASE WHEN r.x > 0 THEN (r.repeat_value / r.x)::float8 ELSE 0 END
FROM "CustomerAggregate" a LEFT JOIN repeaters r ON r.cid = a."customerId"
WHERE a.shop = $1 AND (a."firstOrderAt" AT TIME ZONE $3)::date <= $2::date
  AND (a."orderCount" = 1 OR r.cid IS NOT NULL)
