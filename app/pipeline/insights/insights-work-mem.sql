-- The per-customer sort and the grouping sorts of rfm.insights fit in memory instead of spilling to disk.
-- @unprepared
SET LOCAL work_mem = '256MB'
