-- Parked visits of customers Shopify confirmed become engagement stamps.
-- @param $1 shop text
-- @param $2 customerIds int8[]
INSERT INTO "CustomerEngagement" (shop, "customerId", "lastVisitAt", "lastEmailClickAt", "updatedAt")
SELECT shop, "customerId", max(at), max(at) FILTER (WHERE "emailClick"), now()
FROM "PendingPixelVisit" WHERE shop = $1 AND "customerId" = ANY($2::bigint[]) GROUP BY shop, "customerId"
ON CONFLICT (shop, "customerId") DO UPDATE SET
  "lastVisitAt" = GREATEST("CustomerEngagement"."lastVisitAt", EXCLUDED."lastVisitAt"),
  "lastEmailClickAt" = GREATEST("CustomerEngagement"."lastEmailClickAt", EXCLUDED."lastEmailClickAt"),
  "updatedAt" = now()
