-- The staged summaries as the models see them: distinct (x, t_x, T) in days with their customers, column-wise
-- (one array each, in (x, T, t_x) order: the predictor reuses what depends on x and T alone), so a million
-- customers cost what their distinct tuples cost.
-- @setup pipeline/predict/create-summary-stage.sql
-- @row x int4[]
-- @row "txDays" int4[]
-- @row "TDays" int4[]
-- @row customers int4[]
SELECT coalesce(array_agg(x), '{}') AS x, coalesce(array_agg("txDays"), '{}') AS "txDays",
       coalesce(array_agg("TDays"), '{}') AS "TDays", coalesce(array_agg(customers), '{}') AS customers
FROM (SELECT x, "txDays", "TDays", count(*)::int AS customers FROM rfm_customer_summary
      GROUP BY 1, 2, 3 ORDER BY 1, 3, 2) t
