-- The run's transaction: its statements group and join a whole shop (a million customers) once. The planner prices
-- them high enough to JIT-compile, which costs more than running them; the default 4 MB work_mem spills their hash
-- tables (the distinct tuples, the join back to every customer) to disk in batches; and, blind on the temporary
-- tables' three-column join (no statistics), it sorts every customer for merge joins (EXPLAIN ANALYZE, 200 000
-- customers: three sorts before the load's own) where hashing the forecasts streams them through once.
-- @unprepared
SET LOCAL jit = off;
SET LOCAL work_mem = '64MB';
SET LOCAL enable_mergejoin = off
