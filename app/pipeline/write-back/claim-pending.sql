-- Run under the scoring lock: clock_timestamp(), not the transaction's start, so scores committed while waiting count.
-- @param $1 shop text
-- @row now timestamptz
-- @row seq int8
-- @row count int4
SELECT clock_timestamp() AS now, coalesce(max(seq), 0)::int8 AS seq, count(*)::int AS count
FROM "WriteBackPending" WHERE shop = $1
