-- Aggregates of customers with no counted order left. $2 NULL = the whole shop.
-- @param $1 shop text
-- @param $2 customerIds int8[]?
DELETE FROM "CustomerAggregate" ca
WHERE ca.shop = $1 AND ($2::bigint[] IS NULL OR ca."customerId" = ANY($2::bigint[]))
  AND NOT EXISTS (SELECT 1 FROM "Order" o WHERE o.shop = ca.shop AND o."customerId" = ca."customerId" AND /*@include pipeline/aggregate/counted-order.fragment.sql*/)
