-- The planner prices the per-customer peak lookup high enough to JIT-compile
-- the aggregate upsert, which costs far more (~0.8 s) than running it.
-- @unprepared
SET LOCAL jit = off
