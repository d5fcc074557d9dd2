-- Up to 50 customers that still carry RFM metafields but have no score any more.
-- @param $1 shop text
-- @row id int8
SELECT ms."customerId" AS id FROM "CustomerMetafieldState" ms
WHERE ms.shop = $1 AND NOT EXISTS (SELECT 1 FROM "CustomerScore" cs WHERE cs.shop = $1 AND cs."customerId" = ms."customerId")
ORDER BY 1 LIMIT 50
