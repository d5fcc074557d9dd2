-- Up to 31 customers (8 metafields each: metafieldsDelete takes 250) that still carry RFM metafields but have no score any more.
-- @param $1 shop text
-- @row id int8
SELECT ms."customerId" AS id FROM "CustomerMetafieldState" ms
WHERE ms.shop = $1 AND NOT EXISTS (SELECT 1 FROM "CustomerScore" cs WHERE cs.shop = $1 AND cs."customerId" = ms."customerId")
ORDER BY 1 LIMIT 31
