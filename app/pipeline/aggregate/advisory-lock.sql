-- A transaction-scoped advisory lock on a text key (see locks.server.ts for the keys).
-- @param $1 key text
SELECT pg_advisory_xact_lock(hashtextextended($1, 0))
