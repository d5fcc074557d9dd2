-- After a bulk load the planner's statistics are stale (it would plan for one row).
-- @unprepared
ANALYZE "Order", "Refund"
