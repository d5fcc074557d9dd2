-- How many app tags Shopify holds for the shop, and on how many customers (as recorded when written).
-- @param $1 shop text
-- @row customers int8
-- @row tags int8
SELECT count(*)::int8 AS customers, coalesce(sum(cardinality(tags)), 0)::int8 AS tags
FROM "CustomerTagState" WHERE shop = $1
