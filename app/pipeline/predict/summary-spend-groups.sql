-- The staged summaries as the spend model sees them: distinct (x, mean repeat value) with their customers,
-- column-wise, one-time buyers included (x = 0: the model gives them the population mean).
-- @setup pipeline/predict/create-summary-stage.sql
-- @row x int4[]
-- @row "meanRepeatValue" float8[]
-- @row customers int4[]
SELECT coalesce(array_agg(x), '{}') AS x, coalesce(array_agg("meanRepeatValue"), '{}') AS "meanRepeatValue",
       coalesce(array_agg(customers), '{}') AS customers
FROM (SELECT x, "meanRepeatValue", count(*)::int AS customers FROM rfm_customer_summary
      GROUP BY 1, 2 ORDER BY 1, 2) t
