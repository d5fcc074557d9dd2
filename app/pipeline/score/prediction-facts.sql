-- A keyset page of the shop's scored customers with their latest prediction (none: NULLs) and what
-- applyPredictions compares it with: the stored bands and behaviours.
-- @param $1 shop text
-- @param $2 after int8
-- @param $3 limit int8
-- @row id int8
-- @row segment text
-- @row behaviours text[]
-- @row behaviour_since date[]
-- @row p_alive_band text?
-- @row value_tier text?
-- @row orders_band text?
-- @row lifetime_spend numeric?
-- @row p_alive float8?
-- @row p_order30 float8?
-- @row orders365 float8?
-- @row value12m float8?
SELECT cs."customerId" AS id, cs.segment, cs.behaviours, cs."behaviourSince" AS behaviour_since,
  cs."pAliveBand" AS p_alive_band, cs."valueTier" AS value_tier, cs."ordersBand" AS orders_band,
  a."netSpend" AS lifetime_spend, p."pAlive" AS p_alive, p."pOrder30" AS p_order30,
  p."expectedOrders365" AS orders365, p."predictedValue12m" AS value12m
FROM (SELECT * FROM "CustomerScore" WHERE shop = $1 AND "customerId" > $2 ORDER BY "customerId" LIMIT $3) cs
LEFT JOIN "CustomerPrediction" p ON p.shop = $1 AND p."customerId" = cs."customerId"
LEFT JOIN "CustomerAggregate" a ON a.shop = $1 AND a."customerId" = cs."customerId"
ORDER BY 1
