-- Up to 31 customers (8 metafields each: metafieldsDelete takes 250) marked for write-back (up to seq $2) that still carry RFM metafields but have no score any more.
-- @param $1 shop text
-- @param $2 seq int8
-- @row id int8
SELECT ms."customerId" AS id FROM "WriteBackPending" p
JOIN "CustomerMetafieldState" ms ON ms.shop = $1 AND ms."customerId" = p."customerId"
WHERE p.shop = $1 AND p.seq <= $2
  AND NOT EXISTS (SELECT 1 FROM "CustomerScore" cs WHERE cs.shop = $1 AND cs."customerId" = p."customerId")
ORDER BY 1 LIMIT 31
