-- The previous run's customers behind the insights: replaced in the transaction that stores the new run.
-- @param $1 shop text
DELETE FROM "InsightMember" WHERE shop = $1
