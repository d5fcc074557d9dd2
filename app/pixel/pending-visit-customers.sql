-- The next customers with parked visits, to look up in Shopify.
-- @param $1 shop text
-- @param $2 limit int8
-- @row id int8
SELECT DISTINCT "customerId" AS id FROM "PendingPixelVisit" WHERE shop = $1 ORDER BY 1 LIMIT $2
