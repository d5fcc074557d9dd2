-- One slice of a run's predictions into the stage, column-wise (one array per column), in one statement. $9 and $10 are NULL
-- when the shop has no spend model (then no customer has a value).
-- @setup pipeline/predict/create-prediction-stage.sql
-- @param $1 shop text
-- @param $2 runId int8
-- @param $3 customerIds text[]
-- @param $4 pAlive float8[]
-- @param $5 expectedOrders90 float8[]
-- @param $6 expectedOrders365 float8[]
-- @param $7 pOrder30 float8[]
-- @param $8 pNoOrder90 float8[]
-- @param $9 expectedAverageValue float8[]?
-- @param $10 predictedValue12m float8[]?
INSERT INTO rfm_prediction_stage (shop, "customerId", "runId", "pAlive", "expectedOrders90", "expectedOrders365",
  "pOrder30", "pNoOrder90", "expectedAverageValue", "predictedValue12m")
SELECT $1, c::int8, $2, p, e90, e365, p30, n90, aov, v
FROM unnest($3::text[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::float8[],
  $10::float8[]) AS t(c, p, e90, e365, p30, n90, aov, v)
