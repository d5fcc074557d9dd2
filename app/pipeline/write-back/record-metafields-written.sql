-- What Shopify accepted: per customer the serialised metafield values. $2: JSON [{id, values}].
-- @param $1 shop text
-- @param $2 rows jsonb
INSERT INTO "CustomerMetafieldState" (shop, "customerId", values, "writtenAt")
SELECT $1, x.id::bigint, x.values, now() FROM jsonb_to_recordset($2::jsonb) AS x(id text, values text)
ON CONFLICT (shop, "customerId") DO UPDATE SET values = EXCLUDED.values, "writtenAt" = now()
