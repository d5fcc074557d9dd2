-- One slice of the spend model's expected order value per distinct (x, mean repeat value).
-- @setup pipeline/predict/create-summary-stage.sql
-- @param $1 x int4[] binary
-- @param $2 meanRepeatValue float8[] binary
-- @param $3 expectedAverageValue float8[] binary
INSERT INTO rfm_spend_forecast SELECT * FROM unnest($1::int4[], $2::float8[], $3::float8[])
