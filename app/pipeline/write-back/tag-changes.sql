-- A keyset page over CustomerScore and CustomerTagState (the first `limit` ids of the union lie
-- within the first `limit` of each side): each customer's segment, behaviours and the tags last written.
-- $4 (since) NULL = every customer; otherwise those re-scored since, and those who lost their score.
-- @param $1 shop text
-- @param $2 after int8
-- @param $3 limit int8
-- @param $4 since timestamptz?
-- @row id int8
-- @row segment text?
-- @row behaviours text[]?
-- @row written text[]?
WITH ids AS (
  SELECT "customerId" FROM (
    SELECT "customerId" FROM "CustomerScore" WHERE shop = $1 AND "customerId" > $2 AND ($4::timestamptz IS NULL OR "updatedAt" >= $4::timestamptz)
    ORDER BY 1 LIMIT $3) a
  UNION
  SELECT "customerId" FROM (
    SELECT "customerId" FROM "CustomerTagState" ts WHERE shop = $1 AND "customerId" > $2
      AND ($4::timestamptz IS NULL OR NOT EXISTS (SELECT 1 FROM "CustomerScore" cs WHERE cs.shop = $1 AND cs."customerId" = ts."customerId"))
    ORDER BY 1 LIMIT $3) b
  ORDER BY 1 LIMIT $3)
SELECT ids."customerId" AS id, cs.segment, cs.behaviours, ts.tags AS written
FROM ids
-- LATERAL: one index lookup per id of the page, not a hash of the whole shop's table per page.
LEFT JOIN LATERAL (SELECT segment, behaviours FROM "CustomerScore" WHERE shop = $1 AND "customerId" = ids."customerId" LIMIT 1) cs ON true
LEFT JOIN LATERAL (SELECT tags FROM "CustomerTagState" WHERE shop = $1 AND "customerId" = ids."customerId" LIMIT 1) ts ON true
ORDER BY 1
