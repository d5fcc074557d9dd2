-- Net spend per cohort and month since it, filled by the same pass over orders as insight_buyer (private to the
-- rfm.insights transaction). cohort_month: months since year 0 of the customers' first order (shop time zone).
-- @unprepared
CREATE TEMP TABLE insight_spend (cohort_month int NOT NULL, month_offset int NOT NULL, net numeric NOT NULL) ON COMMIT DROP
