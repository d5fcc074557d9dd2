-- customers/merge: the merged-away customer answers for the kept one from now on (orders arriving later too).
-- @param $1 shop text
-- @param $2 fromIds int8[]
-- @param $3 intoIds int8[]
INSERT INTO "CustomerMerge" AS m (shop, "fromId", "intoId")
SELECT $1, t.f, t.i FROM unnest($2::bigint[], $3::bigint[]) AS t(f, i) ORDER BY t.f
ON CONFLICT (shop, "fromId") DO UPDATE SET "intoId" = EXCLUDED."intoId"
