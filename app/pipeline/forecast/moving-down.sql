-- The scored customers most likely to move down next month: each segment's P(down) from the chain, the most
-- valuable first within a segment.
-- @param $1 shop text
-- @param $2 segments text[]
-- @param $3 pDown float8[]
-- @param $4 limit int4
-- @row customerId text
-- @row segment text
-- @row pDown float8
SELECT s."customerId"::text AS "customerId", s.segment, p.p AS "pDown"
FROM unnest($2::text[], $3::float8[]) AS p(segment, p)
JOIN "CustomerScore" s ON s.shop = $1 AND s.segment = p.segment
ORDER BY p.p DESC, s.monetary DESC, s."customerId"
LIMIT $4
