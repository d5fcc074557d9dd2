-- Every customer with a counted order, one row each, with what the insights group by: built once per rfm.insights
-- run from one sorted pass over the shop's orders, private to its transaction. cohort_month: months since year 0 of
-- the first order's month (shop time zone); second_offset: months from it to the second order's month.
-- @unprepared
CREATE TEMP TABLE insight_buyer (
  cid bigint NOT NULL,
  first_order bigint NOT NULL,
  cohort text NOT NULL,
  cohort_month int NOT NULL,
  second_offset int,
  first_coupon boolean NOT NULL,
  second_coupon boolean,
  orders int NOT NULL,
  net numeric NOT NULL,
  segment text
) ON COMMIT DROP
