-- The page before a cursor (walking back: the ids just below it, returned in id order), as insight-customers-after.sql.
-- @param $1 shop text
-- @param $2 dim text
-- @param $3 key text
-- @param $4 before int8
-- @param $5 limit int4
-- @row id int8
-- @row first_name text?
-- @row last_name text?
-- @row email text?
-- @row segment text?
-- @row orders int4?
-- @row net_spend text?
SELECT m."customerId" AS id, c."firstName" AS first_name, c."lastName" AS last_name, c.email, s.segment,
       a."orderCount" AS orders, a."netSpend"::text AS net_spend
FROM (
  SELECT "customerId" FROM "InsightMember"
  WHERE shop = $1 AND dim = $2 AND key = $3 AND "customerId" < $4
  ORDER BY "customerId" DESC LIMIT $5
) m
LEFT JOIN "Customer" c ON c.shop = $1 AND c.id = m."customerId"
LEFT JOIN "CustomerScore" s ON s.shop = $1 AND s."customerId" = m."customerId"
LEFT JOIN "CustomerAggregate" a ON a.shop = $1 AND a."customerId" = m."customerId"
ORDER BY m."customerId"
