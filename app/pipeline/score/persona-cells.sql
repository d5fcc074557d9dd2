-- Every customer of the shop (with or without counted orders) as persona inputs (domain/personas.ts), counted per
-- combination: the run maps each cell to its persona with the rule table.
-- @param $1 shop text
-- @param $2 asOf date
-- @param $3 engagedRecentDays int4
-- @param $4 engagedEverDays int4
-- @param $5 recentSignalMask int4
-- @param $6 everSignalMask int4
-- @param $7 recentPurchaseDays int4
-- @param $8 highValueLine numeric
-- @row engagement text
-- @row purchases text
-- @row recency text
-- @row value text
-- @row customers int4
WITH people AS (
  SELECT id FROM "Customer" WHERE shop = $1 AND "deletedAt" IS NULL
  UNION
  SELECT "customerId" FROM "CustomerAggregate" WHERE shop = $1
)
SELECT
  CASE WHEN coalesce(sig.signals, 0) & $5::int <> 0
         OR greatest(e."lastVisitAt", e."lastEmailClickAt") >= $2::date - $3::int THEN 'recent'
       WHEN coalesce(sig.signals, 0) & $6::int <> 0
         OR greatest(e."lastVisitAt", e."lastEmailClickAt") >= $2::date - $4::int THEN 'lapsed'
       ELSE 'none' END AS engagement,
  CASE WHEN a."customerId" IS NULL THEN 'never' WHEN a."orderCount" = 1 THEN 'once' ELSE 'repeat' END AS purchases,
  CASE WHEN a."lastOrderAt" >= $2::date - $7::int THEN 'recent' ELSE 'lapsed' END AS recency,
  CASE WHEN a."avgOrderValue" >= $8::numeric THEN 'high' ELSE 'low' END AS value,
  count(*)::int AS customers
FROM people p
LEFT JOIN "CustomerAggregate" a ON a.shop = $1 AND a."customerId" = p.id
LEFT JOIN "CustomerEngagement" e ON e.shop = $1 AND e."customerId" = p.id
LEFT JOIN "CustomerEngagementSignal" sig ON sig.shop = $1 AND sig."customerId" = p.id
GROUP BY 1, 2, 3, 4
