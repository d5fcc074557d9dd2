-- A run's customer summaries and the model's answers per distinct tuple, staged in the run's transaction: the fit
-- reads the summaries grouped, the store joins every customer back to its tuple's forecast in one statement.
-- @unprepared
CREATE TEMP TABLE rfm_customer_summary ("customerId" int8 NOT NULL, x int4 NOT NULL, "txDays" int4 NOT NULL,
  "TDays" int4 NOT NULL, "meanRepeatValue" float8 NOT NULL) ON COMMIT DROP;
CREATE TEMP TABLE rfm_tuple_forecast (x int4 NOT NULL, "txDays" int4 NOT NULL, "TDays" int4 NOT NULL,
  "pAlive" float8 NOT NULL, "expectedOrders90" float8 NOT NULL, "expectedOrders365" float8 NOT NULL,
  "pOrder30" float8 NOT NULL, "pNoOrder90" float8 NOT NULL, "discountedOrders12m" float8 NOT NULL) ON COMMIT DROP;
CREATE TEMP TABLE rfm_spend_forecast (x int4 NOT NULL, "meanRepeatValue" float8 NOT NULL,
  "expectedAverageValue" float8 NOT NULL) ON COMMIT DROP
