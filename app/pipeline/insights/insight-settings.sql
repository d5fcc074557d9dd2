-- rfm.insights' transaction reads every order, line, aggregate and score of the shop, so: its sorts fit in memory
-- instead of spilling to disk; no nested loops (the planner guesses 313 k distinct customers of 1 M in the per-customer
-- pass and would probe CustomerScore a million times); no index scans (the customer index returns 2.2 M orders in
-- random heap order, 18× the pages of a sequential scan, EXPLAIN at 1 M).
SELECT set_config('work_mem', '256MB', true), set_config('enable_nestloop', 'off', true),
       set_config('enable_indexscan', 'off', true)
