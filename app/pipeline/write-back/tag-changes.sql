-- A keyset page of every customer over CustomerScore, CustomerBrowsing and CustomerTagState (the first `limit` ids
-- of the union lie within the first `limit` of each side): each customer's segment ('browsing' for a browser who
-- never bought, who has no score), behaviours and the tags last written.
-- @param $1 shop text
-- @param $2 after int8
-- @param $3 limit int8
-- @row id int8
-- @row segment text?
-- @row behaviours text[]?
-- @row written text[]?
WITH ids AS (
  SELECT "customerId" FROM (
    SELECT "customerId" FROM "CustomerScore" WHERE shop = $1 AND "customerId" > $2 ORDER BY 1 LIMIT $3) a
  UNION
  SELECT "customerId" FROM (
    SELECT "customerId" FROM "CustomerBrowsing" WHERE shop = $1 AND "customerId" > $2 ORDER BY 1 LIMIT $3) c
  UNION
  SELECT "customerId" FROM (
    SELECT "customerId" FROM "CustomerTagState" WHERE shop = $1 AND "customerId" > $2 ORDER BY 1 LIMIT $3) b
  ORDER BY 1 LIMIT $3)
SELECT ids."customerId" AS id, coalesce(cs.segment, br.segment) AS segment, cs.behaviours, ts.tags AS written
FROM ids
-- LATERAL: one index lookup per id of the page, not a hash of the whole shop's table per page.
LEFT JOIN LATERAL (SELECT segment, behaviours FROM "CustomerScore" WHERE shop = $1 AND "customerId" = ids."customerId" LIMIT 1) cs ON true
LEFT JOIN LATERAL (SELECT 'browsing'::text AS segment FROM "CustomerBrowsing" WHERE shop = $1 AND "customerId" = ids."customerId") br ON true
LEFT JOIN LATERAL (SELECT tags FROM "CustomerTagState" WHERE shop = $1 AND "customerId" = ids."customerId" LIMIT 1) ts ON true
ORDER BY 1
