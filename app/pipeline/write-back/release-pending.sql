-- @param $1 shop text
-- @param $2 seq int8
DELETE FROM "WriteBackPending" WHERE shop = $1 AND seq <= $2
