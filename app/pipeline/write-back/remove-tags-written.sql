-- Accepted tagsRemove lines: the removed tags leave each customer's recorded set. Computed from the row being
-- updated, not from a snapshot read before it: the add lines of the same run are recorded concurrently, and a set
-- read first and written later would drop the tags they just added. $2: JSON [{id, tags}].
-- @param $1 shop text
-- @param $2 rows jsonb
UPDATE "CustomerTagState" ts
SET tags = ARRAY(SELECT t FROM unnest(ts.tags) t WHERE NOT t = ANY(x.tags) ORDER BY t), "writtenAt" = now()
FROM jsonb_to_recordset($2::jsonb) AS x(id text, tags text[])
WHERE ts.shop = $1 AND ts."customerId" = x.id::bigint
