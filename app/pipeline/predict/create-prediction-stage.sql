-- Every customer's prediction, set-wise, as a view the load reads once (no staged copy of a million rows): each
-- staged summary joined to its tuple's forecast and (with a spend model) its (x, mean value)'s expected order value;
-- the 12-month value is their product, as predictedValue() in app/domain/clv/predictions.ts. Without a spend model
-- rfm_spend_forecast is empty and both values are NULL. Columns in "CustomerPrediction"'s order; shop and run id
-- from the one row of rfm_prediction_run (stage-predictions.sql). Dropped with the tables it reads at commit.
-- @setup pipeline/predict/create-summary-stage.sql
-- @unprepared
CREATE TEMP TABLE rfm_prediction_run (shop text NOT NULL, "runId" int8 NOT NULL) ON COMMIT DROP;
CREATE TEMP VIEW rfm_prediction_stage AS
SELECT r.shop, s."customerId", r."runId", f."pAlive", f."expectedOrders90", f."expectedOrders365", f."pOrder30",
       f."pNoOrder90", v."expectedAverageValue", v."expectedAverageValue" * f."discountedOrders12m" AS "predictedValue12m"
FROM rfm_prediction_run r
CROSS JOIN rfm_customer_summary s
JOIN rfm_tuple_forecast f ON f.x = s.x AND f."txDays" = s."txDays" AND f."TDays" = s."TDays"
LEFT JOIN rfm_spend_forecast v ON v.x = s.x AND v."meanRepeatValue" = s."meanRepeatValue"
