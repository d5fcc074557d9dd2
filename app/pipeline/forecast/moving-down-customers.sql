-- The scored customers of the given (segment, P(alive)) groups (as moving-down-groups.sql builds them) with each
-- group's P(down): most likely to move down first, the most valuable first within a group. $4[i] false = the
-- group without a stored P(alive) ($5[i] is then ignored).
-- @param $1 shop text
-- @param $2 predictionRunId int8?
-- @param $3 segments text[]
-- @param $4 hasPAlive bool[]
-- @param $5 pAlive float8[]
-- @param $6 pDown float8[]
-- @param $7 limit int4
-- @row customerId text
-- @row segment text
-- @row pAlive float8?
-- @row pDown float8
WITH groups AS (
  SELECT * FROM unnest($3::text[], $4::bool[], $5::float8[], $6::float8[]) AS g(segment, has, p_alive, p_down)
)
SELECT s."customerId"::text AS "customerId", s.segment, p."pAlive", g.p_down AS "pDown"
FROM "CustomerScore" s
LEFT JOIN "CustomerPrediction" p ON p.shop = $1 AND p."customerId" = s."customerId" AND p."runId" = $2
JOIN groups g ON g.segment = s.segment
  AND ((g.has AND p."pAlive" = g.p_alive) OR (NOT g.has AND p."pAlive" IS NULL))
WHERE s.shop = $1
ORDER BY g.p_down DESC, s.monetary DESC, s."customerId"
LIMIT $7
