-- Stores a page view (an email click is one too) of a known, not deleted customer:
-- the engagement stamps and the shop-local visit day. found = 0: no such customer.
-- @param $1 shop text
-- @param $2 customerId int8
-- @param $3 at timestamptz
-- @param $4 emailClick bool
-- @row found int4
WITH c AS (
  SELECT c.id, coalesce(s."ianaTimezone", 'UTC') AS tz
  FROM "Customer" c JOIN "Shop" s ON s.shop = c.shop
  WHERE c.shop = $1 AND c.id = $2::bigint AND c."deletedAt" IS NULL
), e AS (
  INSERT INTO "CustomerEngagement" (shop, "customerId", "lastVisitAt", "lastEmailClickAt", "updatedAt")
  SELECT $1, c.id, $3::timestamptz, CASE WHEN $4::boolean THEN $3::timestamptz END, $3::timestamptz FROM c
  ON CONFLICT (shop, "customerId") DO UPDATE SET
    "lastVisitAt" = GREATEST("CustomerEngagement"."lastVisitAt", EXCLUDED."lastVisitAt"),
    "lastEmailClickAt" = GREATEST("CustomerEngagement"."lastEmailClickAt", EXCLUDED."lastEmailClickAt"),
    "updatedAt" = GREATEST("CustomerEngagement"."updatedAt", EXCLUDED."updatedAt")
  RETURNING 1
), d AS (
  INSERT INTO "CustomerVisitDay" (shop, "customerId", day)
  SELECT $1, c.id, ($3::timestamptz AT TIME ZONE c.tz)::date FROM c
  ON CONFLICT DO NOTHING
  RETURNING 1
)
SELECT (SELECT count(*) FROM c)::int AS found
