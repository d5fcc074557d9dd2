-- After accepted tagsRemove lines: a customer left with no app tags keeps no recorded state. A statement of its
-- own, after the update, so it sees tags a concurrent add recorded meanwhile. $2: JSON [{id, tags}].
-- @param $1 shop text
-- @param $2 rows jsonb
DELETE FROM "CustomerTagState" ts
USING jsonb_to_recordset($2::jsonb) AS x(id text, tags text[])
WHERE ts.shop = $1 AND ts."customerId" = x.id::bigint AND cardinality(ts.tags) = 0
