-- What Shopify accepted: per customer the app tags now on it. $2: JSON [{id, tags}].
-- @param $1 shop text
-- @param $2 rows jsonb
INSERT INTO "CustomerTagState" (shop, "customerId", tags, "writtenAt")
SELECT $1, x.id::bigint, x.tags, now() FROM jsonb_to_recordset($2::jsonb) AS x(id text, tags text[])
ON CONFLICT (shop, "customerId") DO UPDATE SET tags = EXCLUDED.tags, "writtenAt" = now()
