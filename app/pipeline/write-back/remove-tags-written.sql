-- Accepted tagsRemove lines: the removed tags leave each customer's recorded set, and a customer left with none loses
-- the row. One statement (the delete and the update touch different rows): one round trip per batch.
-- $2: JSON [{id, tags}].
-- @param $1 shop text
-- @param $2 rows jsonb
WITH next AS (
  SELECT ts."customerId", ARRAY(SELECT t FROM unnest(ts.tags) t WHERE NOT t = ANY(x.tags) ORDER BY t) AS tags
  FROM jsonb_to_recordset($2::jsonb) AS x(id text, tags text[])
  JOIN "CustomerTagState" ts ON ts.shop = $1 AND ts."customerId" = x.id::bigint
), emptied AS (
  DELETE FROM "CustomerTagState" d USING next
  WHERE d.shop = $1 AND d."customerId" = next."customerId" AND cardinality(next.tags) = 0
)
UPDATE "CustomerTagState" ts SET tags = next.tags, "writtenAt" = now()
FROM next
WHERE ts.shop = $1 AND ts."customerId" = next."customerId" AND cardinality(next.tags) > 0
