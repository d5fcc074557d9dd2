-- Parked visits of customers Shopify confirmed become visit days.
-- @param $1 shop text
-- @param $2 customerIds int8[]
INSERT INTO "CustomerVisitDay" (shop, "customerId", day)
SELECT DISTINCT shop, "customerId", day FROM "PendingPixelVisit" WHERE shop = $1 AND "customerId" = ANY($2::bigint[])
ON CONFLICT DO NOTHING
