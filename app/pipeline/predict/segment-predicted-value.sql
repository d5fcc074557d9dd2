-- Predicted 12-month value per segment of the shop's current scores (the prediction run's dashboard summary).
-- @param $1 shop text
-- @row segment text
-- @row customers int4
-- @row "predictedValue12m" float8
SELECT s.segment, count(*)::int AS customers, coalesce(sum(p."predictedValue12m"), 0)::float8 AS "predictedValue12m"
FROM "CustomerScore" s JOIN "CustomerPrediction" p ON p.shop = s.shop AND p."customerId" = s."customerId"
WHERE s.shop = $1
GROUP BY s.segment
