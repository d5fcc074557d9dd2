-- Up to 31 customers (8 metafields each: metafieldsDelete takes 250) that still carry the app's RFM metafields, whatever their score (write-back switched off).
-- @param $1 shop text
-- @row id int8
SELECT "customerId" AS id FROM "CustomerMetafieldState" WHERE shop = $1 ORDER BY 1 LIMIT 31
