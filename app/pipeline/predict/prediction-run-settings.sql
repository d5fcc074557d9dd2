-- The run's transaction: its statements group and join a whole shop (a million customers) once. The planner prices
-- them high enough to JIT-compile, which costs more than running them; and the default 4 MB work_mem spills their
-- hash tables (the distinct tuples, the join back to every customer) to disk in batches.
-- @unprepared
SET LOCAL jit = off;
SET LOCAL work_mem = '64MB'
