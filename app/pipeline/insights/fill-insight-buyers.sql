-- The one pass over the shop's counted orders, sorted per customer (processedAt, then lowest id): each customer's
-- first and second order, joined to the aggregate (order count, net spend to date) and the current segment (NULL:
-- unscored), into insight_buyer; and every order's net by its customer's cohort and month since, into insight_spend.
-- @setup pipeline/insights/create-insight-buyers.sql
-- @setup pipeline/insights/create-insight-spend.sql
-- @param $1 shop text
-- @param $2 timezone text
WITH ranked AS MATERIALIZED (
  SELECT cid, id, local_at, month, net, discounted, row_number() OVER w AS n, first_value(month) OVER w AS first_month
  FROM (
    SELECT o."customerId" AS cid, o.id, o."processedAt" AS at, o."processedAt" AT TIME ZONE $2 AS local_at,
           -- Months since year 0; date_part (float8), not extract (numeric, several times slower per call).
           (date_part('year', o."processedAt" AT TIME ZONE $2) * 12
             + date_part('month', o."processedAt" AT TIME ZONE $2) - 1)::int AS month,
           o."currentTotalPrice" AS net, cardinality(o."discountCodes") > 0 AS discounted
    FROM "Order" o
    WHERE o.shop = $1 AND /*@include pipeline/aggregate/counted-order.fragment.sql*/
  ) o
  WINDOW w AS (PARTITION BY cid ORDER BY at, id)
), spend AS (
  INSERT INTO insight_spend SELECT first_month, month - first_month, sum(net) FROM ranked GROUP BY 1, 2
)
INSERT INTO insight_buyer
SELECT f.cid, f.first_order, to_char(f.first_local, 'YYYY-MM'), f.first_month, f.second_month - f.first_month,
       f.first_coupon, f.second_coupon, a."orderCount", a."netSpend", s.segment
FROM (
  SELECT cid, min(id) FILTER (WHERE n = 1) AS first_order, min(local_at) FILTER (WHERE n = 1) AS first_local,
         min(month) FILTER (WHERE n = 1) AS first_month, min(month) FILTER (WHERE n = 2) AS second_month,
         bool_or(discounted) FILTER (WHERE n = 1) AS first_coupon,
         bool_or(discounted) FILTER (WHERE n = 2) AS second_coupon
  FROM ranked
  WHERE n <= 2
  GROUP BY cid
) f
JOIN "CustomerAggregate" a ON a.shop = $1 AND a."customerId" = f.cid
LEFT JOIN "CustomerScore" s ON s.shop = $1 AND s."customerId" = f.cid
