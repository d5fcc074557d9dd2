-- A keyset page of the customers marked for write-back (up to seq $4) that are scored, with the metafield values
-- last written. `id` is the last marked customer looked at, so the caller can page on past unscored ones.
-- @param $1 shop text
-- @param $2 after int8
-- @param $3 limit int8
-- @param $4 seq int8
-- @row id int8
-- @row segment text?
-- @row r int4?
-- @row f int4?
-- @row m int4?
-- @row p_alive_band text?
-- @row value_tier text?
-- @row orders_band text?
-- @row written text?
SELECT p."customerId" AS id, cs.segment, cs.r, cs.f, cs.m,
  cs."pAliveBand" AS p_alive_band, cs."valueTier" AS value_tier, cs."ordersBand" AS orders_band, ms.values AS written
FROM (SELECT "customerId" FROM "WriteBackPending" WHERE shop = $1 AND "customerId" > $2 AND seq <= $4
      ORDER BY 1 LIMIT $3) p
LEFT JOIN "CustomerScore" cs ON cs.shop = $1 AND cs."customerId" = p."customerId"
LEFT JOIN "CustomerMetafieldState" ms ON ms.shop = $1 AND ms."customerId" = p."customerId"
ORDER BY 1
