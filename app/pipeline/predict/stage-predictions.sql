-- The run whose predictions rfm_prediction_stage (create-prediction-stage.sql) gives.
-- @setup pipeline/predict/create-summary-stage.sql
-- @setup pipeline/predict/create-prediction-stage.sql
-- @param $1 shop text
-- @param $2 runId int8
INSERT INTO rfm_prediction_run (shop, "runId") VALUES ($1, $2)
