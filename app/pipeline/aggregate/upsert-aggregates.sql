-- The one definition of a customer's aggregate, as set-based SQL over Order
-- and Refund rows. $2 NULL = every customer of the shop; otherwise only the
-- listed customers. Both the webhook path and the full recompute run this.
-- @param $1 shop text
-- @param $2 customerIds int8[]?
-- @param $3 windowEnd timestamptz
-- @param $4 peakKeys text[]
-- @param $5 peakStarts date[]
-- @param $6 peakEnds date[]
-- @param $7 timezone text
WITH peaks AS MATERIALIZED (
  SELECT key, s, e, ord FROM unnest($4::text[], $5::date[], $6::date[]) WITH ORDINALITY AS p(key, s, e, ord)
), counted AS NOT MATERIALIZED (
  SELECT o."customerId" AS cid, o.id, o."processedAt" AS at, o."totalPrice" AS gross, o."currentTotalPrice" AS net,
         cardinality(o."discountCodes") > 0 AS discounted
  FROM "Order" o
  WHERE o.shop = $1 AND /*@include pipeline/aggregate/counted-order.fragment.sql*/ AND ($2::bigint[] IS NULL OR o."customerId" = ANY($2::bigint[]))
), refunds AS (
  SELECT o."customerId" AS cid, count(*)::int AS n, sum(r.amount) AS amount, max(r."createdAt") AS last_at
  FROM "Refund" r JOIN "Order" o ON o.shop = r.shop AND o.id = r."orderId"
  WHERE r.shop = $1 AND /*@include pipeline/aggregate/counted-order.fragment.sql*/ AND ($2::bigint[] IS NULL OR o."customerId" = ANY($2::bigint[]))
  GROUP BY 1
), agg AS (
  SELECT cid, min(at) AS first_at, max(at) AS last_at, count(*)::int AS n, sum(gross) AS gross, sum(net) AS net,
         (array_agg(discounted ORDER BY at, id))[1] AS first_discounted,
         (min(at) AT TIME ZONE $7)::date AS first_local_date,
         (count(*) FILTER (WHERE discounted))::int AS n_disc,
         (count(*) FILTER (WHERE at > $3::timestamptz - interval '365 days' AND at <= $3::timestamptz))::int AS n365,
         coalesce(sum(gross) FILTER (WHERE at > $3::timestamptz - interval '365 days' AND at <= $3::timestamptz), 0) AS gross365,
         coalesce(sum(net) FILTER (WHERE at > $3::timestamptz - interval '365 days' AND at <= $3::timestamptz), 0) AS net365
  FROM counted GROUP BY cid
), local_days AS (
  SELECT cid, (at AT TIME ZONE $7)::date AS d, sum(net) AS net FROM counted GROUP BY 1, 2
), days AS (
  -- The prediction run's summary counts distinct local days (same-day orders are one transaction).
  SELECT cid, count(*)::int AS n, (array_agg(net ORDER BY d))[1] AS first_net FROM local_days GROUP BY cid
), first_peaks AS MATERIALIZED (
  -- Per distinct first-order date (a few thousand), not per customer: MATERIALIZED, or the planner inlines the
  -- lookup into the join and runs it once per customer (EXPLAIN: 35 735 loops, a quarter of the statement's CPU).
  SELECT d, (SELECT p.key FROM peaks p WHERE d BETWEEN p.s AND p.e ORDER BY p.ord LIMIT 1) AS key
  FROM (SELECT DISTINCT first_local_date AS d FROM agg) dates
)
INSERT INTO "CustomerAggregate" AS ca (
  shop, "customerId", "firstOrderAt", "lastOrderAt", "orderCount", "grossSpend", "netSpend", "avgOrderValue",
  "refundCount", "refundAmount", "lastRefundAt", "discountOrderCount", "firstOrderDiscounted", "firstOrderPeak",
  "avgDaysBetweenOrders", "orders365", "gross365", "net365", "orderDays", "firstDayNet", "orderDaysZone", "windowEnd", "computedAt")
SELECT $1, a.cid, a.first_at, a.last_at, a.n, a.gross, a.net, round(a.net / a.n, 4),
       coalesce(r.n, 0), coalesce(r.amount, 0), r.last_at, a.n_disc, a.first_discounted,
       fp.key,
       CASE WHEN a.n > 1 THEN extract(epoch FROM a.last_at - a.first_at) / 86400.0 / (a.n - 1) END,
       a.n365, a.gross365, a.net365, ld.n, ld.first_net, $7, $3::timestamptz, now()
FROM agg a LEFT JOIN refunds r USING (cid) JOIN first_peaks fp ON fp.d = a.first_local_date JOIN days ld USING (cid)
ON CONFLICT (shop, "customerId") DO UPDATE SET
  "firstOrderAt" = EXCLUDED."firstOrderAt", "lastOrderAt" = EXCLUDED."lastOrderAt", "orderCount" = EXCLUDED."orderCount",
  "grossSpend" = EXCLUDED."grossSpend", "netSpend" = EXCLUDED."netSpend", "avgOrderValue" = EXCLUDED."avgOrderValue",
  "refundCount" = EXCLUDED."refundCount", "refundAmount" = EXCLUDED."refundAmount", "lastRefundAt" = EXCLUDED."lastRefundAt",
  "discountOrderCount" = EXCLUDED."discountOrderCount", "firstOrderDiscounted" = EXCLUDED."firstOrderDiscounted",
  "firstOrderPeak" = EXCLUDED."firstOrderPeak", "avgDaysBetweenOrders" = EXCLUDED."avgDaysBetweenOrders",
  "orders365" = EXCLUDED."orders365", "gross365" = EXCLUDED."gross365", "net365" = EXCLUDED."net365",
  "orderDays" = EXCLUDED."orderDays", "firstDayNet" = EXCLUDED."firstDayNet", "orderDaysZone" = EXCLUDED."orderDaysZone",
  "windowEnd" = EXCLUDED."windowEnd", "computedAt" = EXCLUDED."computedAt"
