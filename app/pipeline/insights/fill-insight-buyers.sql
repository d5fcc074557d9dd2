-- The one sorted pass over the shop's counted orders: each customer's first and second order (earliest processedAt,
-- then lowest id), joined to the aggregate (order count, net spend to date) and the current segment (NULL: unscored).
-- @setup pipeline/insights/create-insight-buyers.sql
-- @param $1 shop text
-- @param $2 timezone text
INSERT INTO insight_buyer
SELECT f.cid, f.first_order, to_char(f.first_local, 'YYYY-MM'), f.first_month, f.second_month - f.first_month,
       f.first_coupon, f.second_coupon, a."orderCount", a."netSpend", s.segment
FROM (
  SELECT cid, first_order, first_local, first_coupon, second_coupon,
         -- Months since year 0; date_part (float8), not extract (numeric, several times slower per call).
         (date_part('year', first_local) * 12 + date_part('month', first_local) - 1)::int AS first_month,
         (date_part('year', second_local) * 12 + date_part('month', second_local) - 1)::int AS second_month
  FROM (
    SELECT cid, min(id) FILTER (WHERE n = 1) AS first_order,
           min(local_at) FILTER (WHERE n = 1) AS first_local, min(local_at) FILTER (WHERE n = 2) AS second_local,
           bool_or(discounted) FILTER (WHERE n = 1) AS first_coupon,
           bool_or(discounted) FILTER (WHERE n = 2) AS second_coupon
    FROM (
      SELECT o."customerId" AS cid, o.id, o."processedAt" AT TIME ZONE $2 AS local_at,
             cardinality(o."discountCodes") > 0 AS discounted,
             row_number() OVER (PARTITION BY o."customerId" ORDER BY o."processedAt", o.id) AS n
      FROM "Order" o
      WHERE o.shop = $1 AND /*@include pipeline/aggregate/counted-order.fragment.sql*/
    ) ranked
    WHERE n <= 2
    GROUP BY cid
  ) two
) f
JOIN "CustomerAggregate" a ON a.shop = $1 AND a."customerId" = f.cid
LEFT JOIN "CustomerScore" s ON s.shop = $1 AND s."customerId" = f.cid
