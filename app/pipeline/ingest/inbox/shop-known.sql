-- Whether the app holds anything for a shop (the receiver's known-shop check, cached).
-- @param $1 shop text
-- @row known bool
SELECT EXISTS (SELECT 1 FROM "Shop" WHERE shop = $1) AS known
