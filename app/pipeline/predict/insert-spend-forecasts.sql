-- One slice of the spend model's expected order value per distinct (x, mean repeat value).
-- @setup pipeline/predict/create-summary-stage.sql
-- @param $1 x int4[]
-- @param $2 meanRepeatValue float8[]
-- @param $3 expectedAverageValue float8[]
INSERT INTO rfm_spend_forecast SELECT * FROM unnest($1::int4[], $2::float8[], $3::float8[])
