-- Accepted tagsAdd lines: the added tags join each customer's recorded set. $2: JSON [{id, tags}].
-- @param $1 shop text
-- @param $2 rows jsonb
INSERT INTO "CustomerTagState" AS ts (shop, "customerId", tags, "writtenAt")
SELECT $1, x.id::bigint, x.tags, now() FROM jsonb_to_recordset($2::jsonb) AS x(id text, tags text[])
ON CONFLICT (shop, "customerId") DO UPDATE SET
  tags = ARRAY(SELECT DISTINCT t FROM unnest(ts.tags || EXCLUDED.tags) t ORDER BY t), "writtenAt" = now()
