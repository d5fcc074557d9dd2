-- Parks a visit of a customer we do not know yet, unless the shop already has $5 parked.
-- No row back: the parking is full.
-- @param $1 shop text
-- @param $2 customerId int8
-- @param $3 at timestamptz
-- @param $4 emailClick bool
-- @param $5 maxPending int4
-- @row parked int4
INSERT INTO "PendingPixelVisit" (shop, "customerId", day, "emailClick", at)
SELECT $1, $2::bigint, ($3::timestamptz AT TIME ZONE coalesce((SELECT "ianaTimezone" FROM "Shop" WHERE shop = $1), 'UTC'))::date, $4::boolean, $3::timestamptz
WHERE (SELECT count(*) FROM "PendingPixelVisit" WHERE shop = $1) < $5::int
ON CONFLICT (shop, "customerId", day, "emailClick") DO UPDATE SET at = GREATEST("PendingPixelVisit".at, EXCLUDED.at)
RETURNING 1 AS parked
