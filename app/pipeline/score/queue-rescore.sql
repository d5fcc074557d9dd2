-- Customers whose aggregate changed, for the next re-score.
-- @param $1 shop text
-- @param $2 customerIds int8[]
INSERT INTO "PendingRescore" (shop, "customerId") SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING
