-- Every scored customer grouped by segment and the P(alive) the prediction run $2 stored for them (NULL without
-- one, and for everyone when $2 is NULL): P(down) is one value per group.
-- @param $1 shop text
-- @param $2 predictionRunId int8?
-- @row segment text
-- @row pAlive float8?
-- @row customers int4
SELECT s.segment, p."pAlive", count(*)::int AS customers
FROM "CustomerScore" s
LEFT JOIN "CustomerPrediction" p ON p.shop = $1 AND p."customerId" = s."customerId" AND p."runId" = $2
WHERE s.shop = $1
GROUP BY 1, 2
