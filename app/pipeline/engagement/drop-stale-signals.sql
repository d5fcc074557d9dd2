-- After a complete sync: customers no member query returned any more lose their signals.
-- @param $1 shop text
-- @param $2 syncId int8
DELETE FROM "CustomerEngagementSignal" WHERE shop = $1 AND "syncId" <> $2::bigint
