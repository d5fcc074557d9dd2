-- Customers with orders, and how many of them share the lowest order count (lifetime, as the aggregates hold it).
-- @param $1 shop text
-- @row customers int4
-- @row lowest int4
SELECT count(*)::int AS customers,
       (count(*) FILTER (WHERE "orderCount" = (SELECT min("orderCount") FROM "CustomerAggregate" WHERE shop = $1)))::int AS lowest
FROM "CustomerAggregate"
WHERE shop = $1
