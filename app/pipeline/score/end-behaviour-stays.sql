-- Behaviour stays that ended on $3 become history, as scoring's own (a stay that began that day is not history).
-- $2: JSON [{id, behaviour, since}].
-- @param $1 shop text
-- @param $2 rows jsonb
-- @param $3 asOf date
INSERT INTO "SegmentMembership" (shop, "customerId", kind, segment, "validFrom", "validTo")
SELECT $1, x.id::bigint, 'behaviour', x.behaviour, x.since, $3::date
FROM jsonb_to_recordset($2::jsonb) AS x(id text, behaviour text, since date)
WHERE x.since < $3::date
