-- Orders whose journey to ask Shopify for again (orders.journeys): placed since $2 (the give-up age), not deleted,
-- with no journey stored (only webhooks brought them) or one still ready: false last checked before $3; after id $4,
-- in id order. Reads the recent orders by the (shop, processedAt) index.
-- @param $1 shop text
-- @param $2 placedSince timestamptz
-- @param $3 checkedBefore timestamptz
-- @param $4 afterId int8
-- @param $5 limit int8
-- @row id int8
SELECT o.id
FROM "Order" o
LEFT JOIN "OrderJourney" j ON j.shop = o.shop AND j."orderId" = o.id
WHERE o.shop = $1 AND o."processedAt" >= $2 AND o."deletedAt" IS NULL AND o.id > $4
  AND (j."orderId" IS NULL OR (j.state = 'pending' AND j."checkedAt" < $3))
ORDER BY o.id
LIMIT $5
