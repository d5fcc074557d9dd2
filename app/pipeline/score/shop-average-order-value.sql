-- The shop's average order value over counted orders (the personas' default "high value" line).
-- @param $1 shop text
-- @row line numeric
SELECT coalesce(sum("netSpend") / nullif(sum("orderCount"), 0), 0)::numeric(18, 2) AS line
FROM "CustomerAggregate" WHERE shop = $1
