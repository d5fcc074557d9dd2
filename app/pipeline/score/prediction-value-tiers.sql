-- Lowest predicted 12-month value inside each tier, valueTierThresholdsOf (domain/rfm/prediction-bands.ts) set-wise:
-- fewer than p % of the shop's customers with a predicted value have a strictly higher one, and only positive values.
-- NULL: the tier is empty.
-- @param $1 shop text
-- @row top_10 float8?
-- @row top_25 float8?
-- @row top_50 float8?
WITH h AS (
  SELECT "predictedValue12m" AS v, count(*) AS c FROM "CustomerPrediction"
  WHERE shop = $1 AND "predictedValue12m" IS NOT NULL GROUP BY 1
), r AS (
  SELECT v, sum(c) OVER (ORDER BY v DESC) - c AS better, sum(c) OVER () AS n FROM h
)
SELECT min(v) FILTER (WHERE better * 100 < 10 * n) AS top_10,
       min(v) FILTER (WHERE better * 100 < 25 * n) AS top_25,
       min(v) FILTER (WHERE better * 100 < 50 * n) AS top_50
FROM r WHERE v > 0
