-- One given shop's turn (the one-event-at-a-time retry after a failed batch); no row when another worker has it.
-- @param $1 shop text
-- @row shop text
-- @row known bool
SELECT s.shop, EXISTS (SELECT 1 FROM "Shop" sh WHERE sh.shop = s.shop) AS known
FROM "InboxShop" s WHERE s.shop = $1
FOR UPDATE OF s SKIP LOCKED
