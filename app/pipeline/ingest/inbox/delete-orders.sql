-- orders/delete, set-based: a tombstone whether or not the order arrived yet (a later create cannot revive it).
-- Returns the customers of the orders that existed.
-- @param $1 shop text
-- @param $2 orderIds int8[]
-- @row "customerId" int8
WITH previous AS (
  SELECT o."customerId" FROM "Order" o WHERE o.shop = $1 AND o.id = ANY($2::bigint[])
), tombstones AS (
  INSERT INTO "Order" AS o (shop, id, "createdAt", "processedAt", "shopifyUpdatedAt", "deletedAt", currency,
    "totalPrice", "currentTotalPrice", "totalRefunded", "discountCodes")
  SELECT $1, d.id, now(), now(), now(), now(), '', 0, 0, 0, '{}'
  FROM (SELECT DISTINCT unnest($2::bigint[]) AS id) d ORDER BY d.id
  ON CONFLICT (shop, id) DO UPDATE SET "deletedAt" = EXCLUDED."deletedAt"
)
SELECT DISTINCT p."customerId" FROM previous p WHERE p."customerId" IS NOT NULL
