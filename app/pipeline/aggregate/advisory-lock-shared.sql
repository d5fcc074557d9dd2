-- The shared form of advisory-lock.sql.
-- @param $1 key text
SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))
