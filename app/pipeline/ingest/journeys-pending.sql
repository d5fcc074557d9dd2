-- How many orders placed since $2 still wait for their journey (none stored, or ready: false): whether
-- orders.journeys should come back.
-- @param $1 shop text
-- @param $2 placedSince timestamptz
-- @row pending int4
SELECT count(*)::int AS pending
FROM "Order" o
LEFT JOIN "OrderJourney" j ON j.shop = o.shop AND j."orderId" = o.id
WHERE o.shop = $1 AND o."processedAt" >= $2 AND o."deletedAt" IS NULL
  AND (j."orderId" IS NULL OR j.state = 'pending')
