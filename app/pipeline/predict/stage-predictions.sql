-- Every customer's prediction, set-wise: each staged summary joined to its tuple's forecast and (with a spend model)
-- its (x, mean value)'s expected order value; the 12-month value is their product, as predictedValue() in
-- app/domain/clv/predictions.ts. Without a spend model rfm_spend_forecast is empty and both values are NULL.
-- @setup pipeline/predict/create-summary-stage.sql
-- @setup pipeline/predict/create-prediction-stage.sql
-- @param $1 shop text
-- @param $2 runId int8
INSERT INTO rfm_prediction_stage (shop, "customerId", "runId", "pAlive", "expectedOrders90", "expectedOrders365",
  "pOrder30", "pNoOrder90", "expectedAverageValue", "predictedValue12m")
SELECT $1, s."customerId", $2, f."pAlive", f."expectedOrders90", f."expectedOrders365", f."pOrder30",
       f."pNoOrder90", v."expectedAverageValue", v."expectedAverageValue" * f."discountedOrders12m"
FROM rfm_customer_summary s
JOIN rfm_tuple_forecast f ON f.x = s.x AND f."txDays" = s."txDays" AND f."TDays" = s."TDays"
LEFT JOIN rfm_spend_forecast v ON v.x = s.x AND v."meanRepeatValue" = s."meanRepeatValue"
