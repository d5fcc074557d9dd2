-- customers/redact: a marker for the customer and each order, so the applier drops any later delivery about them.
-- @param $1 shop text
-- @param $2 customerId int8
-- @param $3 orderIds int8[]
INSERT INTO "RedactionMarker" (shop, kind, id)
SELECT $1, 'customer', $2::bigint
UNION ALL
SELECT $1, 'order', o FROM unnest($3::bigint[]) AS o
ON CONFLICT DO NOTHING
