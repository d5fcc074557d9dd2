-- @param $1 shop text
DELETE FROM "CustomerTagState" WHERE shop = $1 AND cardinality(tags) = 0
