-- A prediction run's row (fit and data sufficiency), in the run's transaction; finished by finish-prediction-run.sql.
-- No row back: the shop is unknown.
-- @param $1 shop text
-- @param $2 scoringRunId int8
-- @param $3 model text
-- @param $4 unit text
-- @param $5 params jsonb?
-- @param $6 ll float8?
-- @param $7 converged bool?
-- @param $8 distinctTuples int4
-- @param $9 customers int4
-- @param $10 repeatCustomers int4
-- @param $11 reason text?
-- @param $12 gammaGamma jsonb?
-- @param $13 spendCorrelation float8?
-- @param $14 startedAt timestamptz
-- @param $15 annualDiscountRate float8
-- @row id text
INSERT INTO "PredictionRun" (shop, "scoringRunId", model, unit, params, ll, converged, "distinctTuples", customers,
  "repeatCustomers", sufficient, reason, "gammaGamma", "spendCorrelation", "startedAt",
  "annualDiscountRate")
SELECT $1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11::text IS NULL, $11, $12::jsonb, $13, $14, $15
WHERE EXISTS (SELECT 1 FROM "Shop" WHERE shop = $1)
RETURNING id::text AS id
