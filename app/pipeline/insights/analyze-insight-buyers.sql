-- Statistics for the grouping queries that read the table just filled (a temporary table has none until analyzed).
-- @setup pipeline/insights/create-insight-buyers.sql
-- @unprepared
ANALYZE insight_buyer
