-- A shop's purchase days: one row per customer and shop-local order date up to $4 (same-day orders are one
-- transaction, the papers' convention). Expects $1 shop, $2 time zone, $4 last day. Pasted by the SQL generator.
SELECT DISTINCT o."customerId" AS cid, (o."processedAt" AT TIME ZONE $2)::date AS d
FROM "Order" o
WHERE o.shop = $1 AND /*@include pipeline/aggregate/counted-order.fragment.sql*/
  AND o."processedAt" < (($4::date + 1)::timestamp AT TIME ZONE $2)
