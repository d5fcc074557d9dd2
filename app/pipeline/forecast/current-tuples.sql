-- Every scored customer's purchase summary as of $4 (all their purchase days; T to $3 − 1 = $4), grouped by
-- segment and distinct (x, t_x, T) in days: the purchase model's P(alive) is one value per group.
-- @param $1 shop text
-- @param $2 timezone text
-- @param $3 dayAfter date
-- @param $4 asOf date
-- @row segment text
-- @row x int4
-- @row txDays int4
-- @row TDays int4
-- @row customers int4
WITH /*@include pipeline/forecast/current-summary.fragment.sql*/
SELECT s.segment, p.x::int AS x, p.tx AS "txDays", p.t AS "TDays", count(*)::int AS customers
FROM per p JOIN "CustomerScore" s ON s.shop = $1 AND s."customerId" = p.cid
GROUP BY 1, 2, 3, 4
