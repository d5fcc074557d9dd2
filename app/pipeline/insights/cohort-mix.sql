-- Each first-order-month cohort's size (segment NULL) and its customers per current segment (shop time zone).
-- @setup pipeline/insights/create-insight-buyers.sql
-- @row cohort text
-- @row segment text?
-- @row customers int4
SELECT cohort, CASE WHEN GROUPING(segment) = 0 THEN segment END AS segment, count(*)::int AS customers
FROM insight_buyer
GROUP BY GROUPING SETS ((cohort), (cohort, segment))
HAVING GROUPING(segment) = 1 OR segment IS NOT NULL
