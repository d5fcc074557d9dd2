-- A run's predictions are staged first (temporary, private to the transaction), then moved in one statement.
-- @unprepared
CREATE TEMP TABLE rfm_prediction_stage (LIKE "CustomerPrediction") ON COMMIT DROP
