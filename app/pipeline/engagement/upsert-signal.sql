-- One page of a signal's segment members: the signal's bit is set; a row from an older sync starts over
-- (its other bits come back as their own queries run).
-- @param $1 shop text
-- @param $2 customerIds int8[]
-- @param $3 bit int4
-- @param $4 syncId int8
INSERT INTO "CustomerEngagementSignal" AS s (shop, "customerId", signals, "syncId")
SELECT $1, id, $3::int, $4::bigint FROM unnest($2::bigint[]) AS u(id)
ON CONFLICT (shop, "customerId") DO UPDATE SET
  signals = CASE WHEN s."syncId" = $4::bigint THEN s.signals | $3::int ELSE $3::int END,
  "syncId" = $4::bigint
