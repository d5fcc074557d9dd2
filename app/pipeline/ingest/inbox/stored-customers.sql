-- The stored state the customer patches of a batch are folded against.
-- @param $1 shop text
-- @param $2 customerIds int8[]
-- @row id int8
-- @row "shopifyUpdatedAt" timestamptz
-- @row deleted bool
SELECT c.id, c."shopifyUpdatedAt", c."deletedAt" IS NOT NULL AS deleted
FROM "Customer" c WHERE c.shop = $1 AND c.id = ANY($2::bigint[])
