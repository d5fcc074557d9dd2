-- A keyset page of the customers marked for write-back (up to seq $4): segment and behaviours (null when the
-- score is gone; segment 'browsing' for a browser who never bought) and the tags last written. One index range on WriteBackPending, one lookup per customer.
-- @param $1 shop text
-- @param $2 after int8
-- @param $3 limit int8
-- @param $4 seq int8
-- @row id int8
-- @row segment text?
-- @row behaviours text[]?
-- @row written text[]?
SELECT p."customerId" AS id, coalesce(cs.segment, CASE WHEN br."customerId" IS NOT NULL THEN 'browsing' END) AS segment,
       cs.behaviours, ts.tags AS written
FROM (SELECT "customerId" FROM "WriteBackPending" WHERE shop = $1 AND "customerId" > $2 AND seq <= $4
      ORDER BY 1 LIMIT $3) p
LEFT JOIN "CustomerScore" cs ON cs.shop = $1 AND cs."customerId" = p."customerId"
LEFT JOIN "CustomerBrowsing" br ON br.shop = $1 AND br."customerId" = p."customerId"
LEFT JOIN "CustomerTagState" ts ON ts.shop = $1 AND ts."customerId" = p."customerId"
ORDER BY 1
