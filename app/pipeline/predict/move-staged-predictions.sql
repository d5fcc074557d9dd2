-- A shop in the default partition: its staged predictions replace its stored ones (deleted before), in key order.
-- @setup pipeline/predict/create-prediction-stage.sql
INSERT INTO "CustomerPrediction" SELECT * FROM rfm_prediction_stage ORDER BY "customerId"
