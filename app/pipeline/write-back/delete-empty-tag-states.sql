-- After accepted tagsRemove lines: customers of the batch left with no app tag lose their row. Only the batch's
-- customers (primary-key lookups): a scan of the shop's rows per batch cost seconds at 200 000 customers.
-- @param $1 shop text
-- @param $2 rows jsonb
DELETE FROM "CustomerTagState" ts
USING jsonb_to_recordset($2::jsonb) AS x(id text)
WHERE ts.shop = $1 AND ts."customerId" = x.id::bigint AND cardinality(ts.tags) = 0
