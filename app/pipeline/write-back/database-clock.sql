-- The database's clock: write-back scopes are compared with updatedAt stamps the database wrote.
-- @row now timestamptz
SELECT now() AS now
