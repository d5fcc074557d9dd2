-- refunds/create, set-based (one row per refund, amounts already in shop money where the order was known).
-- @param $1 shop text
-- @param $2 refunds jsonb
INSERT INTO "Refund" (shop, id, "orderId", "createdAt", amount)
SELECT $1, r.id, r."orderId", r."createdAt", r.amount
FROM jsonb_to_recordset($2::jsonb) AS r(id bigint, "orderId" bigint, "createdAt" timestamptz, amount numeric)
ORDER BY r.id
ON CONFLICT (shop, id) DO UPDATE SET "orderId" = EXCLUDED."orderId", "createdAt" = EXCLUDED."createdAt",
  amount = EXCLUDED.amount
