-- One slice of the model's answers per distinct tuple (column-wise, one binary array per column).
-- @setup pipeline/predict/create-summary-stage.sql
-- @param $1 x int4[] binary
-- @param $2 txDays int4[] binary
-- @param $3 TDays int4[] binary
-- @param $4 pAlive float8[] binary
-- @param $5 expectedOrders90 float8[] binary
-- @param $6 expectedOrders365 float8[] binary
-- @param $7 pOrder30 float8[] binary
-- @param $8 pNoOrder90 float8[] binary
-- @param $9 discountedOrders12m float8[] binary
INSERT INTO rfm_tuple_forecast
SELECT * FROM unnest($1::int4[], $2::int4[], $3::int4[], $4::float8[], $5::float8[], $6::float8[], $7::float8[],
  $8::float8[], $9::float8[])
