-- What refunds/create needs of the orders it refunds: the order's own rate (shop / presentment total) and customer.
-- @param $1 shop text
-- @param $2 orderIds int8[]
-- @row id int8
-- @row "customerId" int8?
-- @row "totalPrice" numeric
-- @row "presentmentTotalPrice" numeric?
-- @row deleted bool
SELECT o.id, o."customerId", o."totalPrice", o."presentmentTotalPrice", o."deletedAt" IS NOT NULL AS deleted
FROM "Order" o WHERE o.shop = $1 AND o.id = ANY($2::bigint[])
