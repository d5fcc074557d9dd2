-- A keyset page of every scored customer with the metafield values last written for them.
-- @param $1 shop text
-- @param $2 after int8
-- @param $3 limit int8
-- @row id int8
-- @row segment text
-- @row r int4
-- @row f int4
-- @row m int4
-- @row p_alive_band text?
-- @row value_tier text?
-- @row orders_band text?
-- @row written text?
SELECT cs."customerId" AS id, cs.segment, cs.r, cs.f, cs.m,
  cs."pAliveBand" AS p_alive_band, cs."valueTier" AS value_tier, cs."ordersBand" AS orders_band, ms.values AS written
FROM (SELECT * FROM "CustomerScore" WHERE shop = $1 AND "customerId" > $2::bigint ORDER BY "customerId" LIMIT $3) cs
-- LATERAL: one index lookup per customer of the page, not a hash of the whole shop's state per page.
LEFT JOIN LATERAL (SELECT values FROM "CustomerMetafieldState" WHERE shop = $1 AND "customerId" = cs."customerId" LIMIT 1) ms ON true
ORDER BY 1
