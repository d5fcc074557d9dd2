-- The scored customers of the given (segment, x, t_x, T) groups (as current-tuples.sql builds them) with each
-- group's P(down): most likely to move down first, the most valuable first within a group.
-- @param $1 shop text
-- @param $2 timezone text
-- @param $3 dayAfter date
-- @param $4 asOf date
-- @param $5 segments text[]
-- @param $6 xs int4[]
-- @param $7 txDays int4[]
-- @param $8 TDays int4[]
-- @param $9 pDown float8[]
-- @param $10 limit int4
-- @row customerId text
-- @row segment text
-- @row pDown float8
-- @row x int4
-- @row txDays int4
-- @row TDays int4
WITH /*@include pipeline/forecast/current-summary.fragment.sql*/, groups AS (
  SELECT * FROM unnest($5::text[], $6::int[], $7::int[], $8::int[], $9::float8[]) AS g(segment, x, tx, t, p_down)
)
SELECT s."customerId"::text AS "customerId", s.segment, g.p_down AS "pDown", g.x, g.tx AS "txDays", g.t AS "TDays"
FROM groups g
JOIN per p ON p.x = g.x AND p.tx = g.tx AND p.t = g.t
JOIN "CustomerScore" s ON s.shop = $1 AND s."customerId" = p.cid AND s.segment = g.segment
ORDER BY g.p_down DESC, s.monetary DESC, s."customerId"
LIMIT $10
