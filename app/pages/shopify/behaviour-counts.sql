-- Customers per behaviour of a shop.
-- @param $1 shop text
-- @row k text
-- @row n int4
SELECT b AS k, count(*)::int AS n FROM "CustomerScore", unnest(behaviours) b WHERE shop = $1 GROUP BY 1
