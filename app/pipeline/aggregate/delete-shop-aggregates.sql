-- @param $1 shop text
DELETE FROM "CustomerAggregate" WHERE shop = $1
