-- Cohorts by the month of the first counted order (shop time zone): per cohort and months since that month, the net
-- spend of the cohort's counted orders placed then (after refunds) and how many customers placed their second then.
-- @setup pipeline/insights/create-insight-buyers.sql
-- @setup pipeline/insights/create-insight-spend.sql
-- @row cohort text
-- @row month_offset int4
-- @row net numeric
-- @row second_orders int4
WITH seconds AS (
  SELECT cohort_month, second_offset AS month_offset, count(*)::int AS second_orders
  FROM insight_buyer WHERE second_offset IS NOT NULL
  GROUP BY 1, 2
)
-- A second order is itself an order of its month: every month with one has spend.
SELECT to_char(make_date(s.cohort_month / 12, s.cohort_month % 12 + 1, 1), 'YYYY-MM') AS cohort, s.month_offset,
       s.net, coalesce(c.second_orders, 0) AS second_orders
FROM insight_spend s LEFT JOIN seconds c USING (cohort_month, month_offset)
