-- "Browses often, never bought": customers with at least $4 distinct visit days in the last $3
-- (shop-local, today included) and no counted order (no CustomerAggregate row).
-- @param $1 shop text
-- @param $2 now timestamptz
-- @param $3 withinDays int4
-- @param $4 minDays int4
-- @row customerId int8
-- @row visitDays int4
-- @row lastVisitAt timestamptz?
WITH today AS (SELECT ($2::timestamptz AT TIME ZONE coalesce((SELECT "ianaTimezone" FROM "Shop" WHERE shop = $1), 'UTC'))::date AS d)
SELECT v."customerId", count(*)::int AS "visitDays", max(e."lastVisitAt") AS "lastVisitAt"
FROM "CustomerVisitDay" v
CROSS JOIN today
LEFT JOIN "CustomerEngagement" e ON e.shop = v.shop AND e."customerId" = v."customerId"
WHERE v.shop = $1 AND v.day > today.d - $3::int AND v.day <= today.d
  AND NOT EXISTS (SELECT 1 FROM "CustomerAggregate" a WHERE a.shop = v.shop AND a."customerId" = v."customerId")
GROUP BY v."customerId"
HAVING count(*) >= $4::int
ORDER BY count(*) DESC, v."customerId"
