-- After accepted tagsRemove lines: a customer left with no app tags keeps no recorded state. A statement of its
-- own, after the update, so it sees tags a concurrent add recorded meanwhile. $2: JSON [{id, tags}]. The ids as one
-- array in the key's condition: joined to the JSON rows, the planner (its statistics taken while the table was
-- small) scanned the shop's whole tag state per batch, holding the remove's row locks the adds wait on.
-- @param $1 shop text
-- @param $2 rows jsonb
DELETE FROM "CustomerTagState" ts
WHERE ts.shop = $1 AND cardinality(ts.tags) = 0
  AND ts."customerId" = ANY (ARRAY(SELECT x.id::bigint FROM jsonb_to_recordset($2::jsonb) AS x(id text)))
