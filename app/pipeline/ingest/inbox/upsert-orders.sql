-- Order states of one batch (one per order, newest first chosen by the caller), set-based: an older state never
-- overwrites a newer one and a deleted order stays deleted; the customer is resolved through CustomerMerge chains
-- (at most 10 hops); an applied state replaces the order's lines and upserts its refunds. Returns the customers
-- whose aggregates may have changed: the previous and the new customer of every applied order. $5: the ids in $2, so
-- the stored orders and lines are found by index however large the shop (a CTE's row count is a guess of 100).
-- @param $1 shop text
-- @param $2 orders jsonb
-- @param $3 lines jsonb
-- @param $4 refunds jsonb
-- @param $5 orderIds int8[]
-- @row "customerId" int8
WITH RECURSIVE incoming AS (
  SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(
    id bigint, "customerId" bigint, name text, "createdAt" timestamptz, "processedAt" timestamptz,
    "updatedAt" timestamptz, "cancelledAt" timestamptz, test boolean, currency text, "totalPrice" numeric,
    "currentTotalPrice" numeric, "totalRefunded" numeric, "presentmentTotalPrice" numeric, "discountCodes" text[])
), chain AS (
  SELECT i.id, i."customerId" AS cur, 0 AS hops FROM incoming i WHERE i."customerId" IS NOT NULL
  UNION ALL
  SELECT c.id, m."intoId", c.hops + 1
  FROM chain c JOIN "CustomerMerge" m ON m.shop = $1 AND m."fromId" = c.cur
  WHERE c.hops < 10
), resolved AS (
  SELECT DISTINCT ON (id) id, cur FROM chain ORDER BY id, hops DESC
), previous AS (
  SELECT o.id, o."customerId" FROM "Order" o WHERE o.shop = $1 AND o.id = ANY($5::bigint[])
), applied AS (
  INSERT INTO "Order" AS o (shop, id, "customerId", name, "createdAt", "processedAt", "shopifyUpdatedAt", "cancelledAt",
    test, currency, "totalPrice", "currentTotalPrice", "totalRefunded", "presentmentTotalPrice", "discountCodes")
  SELECT $1, i.id, r.cur, i.name, i."createdAt", i."processedAt", i."updatedAt", i."cancelledAt", i.test, i.currency,
    i."totalPrice", i."currentTotalPrice", i."totalRefunded", i."presentmentTotalPrice", i."discountCodes"
  FROM incoming i LEFT JOIN resolved r ON r.id = i.id
  ORDER BY i.id
  ON CONFLICT (shop, id) DO UPDATE SET
    "customerId" = EXCLUDED."customerId", name = EXCLUDED.name, "createdAt" = EXCLUDED."createdAt",
    "processedAt" = EXCLUDED."processedAt", "shopifyUpdatedAt" = EXCLUDED."shopifyUpdatedAt",
    "cancelledAt" = EXCLUDED."cancelledAt", test = EXCLUDED.test, currency = EXCLUDED.currency,
    "totalPrice" = EXCLUDED."totalPrice", "currentTotalPrice" = EXCLUDED."currentTotalPrice",
    "totalRefunded" = EXCLUDED."totalRefunded", "presentmentTotalPrice" = EXCLUDED."presentmentTotalPrice",
    "discountCodes" = EXCLUDED."discountCodes"
  WHERE o."deletedAt" IS NULL AND o."shopifyUpdatedAt" <= EXCLUDED."shopifyUpdatedAt"
  RETURNING o.id, o."customerId"
), lines AS (
  SELECT * FROM jsonb_to_recordset($3::jsonb) AS l(
    "orderId" bigint, id bigint, "productId" bigint, vendor text, quantity int, amount numeric)
), dropped_lines AS (
  DELETE FROM "OrderLine" ol
  WHERE ol.shop = $1 AND ol."orderId" = ANY($5::bigint[]) AND ol."orderId" IN (SELECT id FROM applied)
    AND NOT EXISTS (SELECT 1 FROM lines l WHERE l."orderId" = ol."orderId" AND l.id = ol.id)
), put_lines AS (
  INSERT INTO "OrderLine" (shop, "orderId", id, "productId", vendor, quantity, amount)
  SELECT $1, l."orderId", l.id, l."productId", l.vendor, l.quantity, l.amount
  FROM lines l WHERE l."orderId" IN (SELECT id FROM applied)
  ORDER BY l."orderId", l.id
  ON CONFLICT (shop, "orderId", id) DO UPDATE SET "productId" = EXCLUDED."productId", vendor = EXCLUDED.vendor,
    quantity = EXCLUDED.quantity, amount = EXCLUDED.amount
), put_refunds AS (
  INSERT INTO "Refund" (shop, id, "orderId", "createdAt", amount)
  SELECT $1, r.id, r."orderId", r."createdAt", r.amount
  FROM jsonb_to_recordset($4::jsonb) AS r(id bigint, "orderId" bigint, "createdAt" timestamptz, amount numeric)
  WHERE r."orderId" IN (SELECT id FROM applied)
  ORDER BY r.id
  ON CONFLICT (shop, id) DO UPDATE SET "orderId" = EXCLUDED."orderId", "createdAt" = EXCLUDED."createdAt",
    amount = EXCLUDED.amount
)
SELECT p."customerId" FROM previous p JOIN applied a ON a.id = p.id WHERE p."customerId" IS NOT NULL
UNION
SELECT a."customerId" FROM applied a WHERE a."customerId" IS NOT NULL
