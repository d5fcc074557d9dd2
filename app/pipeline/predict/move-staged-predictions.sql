-- A shop in the default partition: its predictions (the stage view) replace its stored ones (deleted before), in key order.
-- @setup pipeline/predict/create-summary-stage.sql
-- @setup pipeline/predict/create-prediction-stage.sql
INSERT INTO "CustomerPrediction" SELECT * FROM rfm_prediction_stage ORDER BY "customerId"
