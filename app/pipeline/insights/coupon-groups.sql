-- Coupon-acquired vs full-price customers. kind 'first': every customer with a counted order, by whether the first
-- counted order had a discount code (repeaters: a second order). kind 'second': first-order coupon buyers who ordered
-- again, by whether the second order had a code (repeaters: a third order). One row per group (segment NULL) and one
-- per group and current segment (unscored customers are in the group's row only).
-- @setup pipeline/insights/create-insight-buyers.sql
-- @row kind text
-- @row coupon bool
-- @row segment text?
-- @row customers int4
-- @row repeaters int4
-- @row median_net float8
WITH groups AS (
  SELECT 'first'::text AS kind, first_coupon AS coupon, segment, orders >= 2 AS repeated, net FROM insight_buyer
  UNION ALL
  SELECT 'second', second_coupon, segment, orders >= 3, net FROM insight_buyer
  WHERE first_coupon AND second_coupon IS NOT NULL
)
SELECT kind, coupon, CASE WHEN GROUPING(segment) = 0 THEN segment END AS segment, count(*)::int AS customers,
       (count(*) FILTER (WHERE repeated))::int AS repeaters,
       /*@include pipeline/insights/median-net.fragment.sql*/ AS median_net
FROM groups
GROUP BY GROUPING SETS ((kind, coupon), (kind, coupon, segment))
HAVING GROUPING(segment) = 1 OR segment IS NOT NULL
