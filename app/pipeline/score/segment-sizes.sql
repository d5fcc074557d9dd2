-- Customers per segment and per behaviour on each of the given dates, from the stored history: the ended stays in
-- SegmentMembership ([validFrom, validTo)) plus the open stays in CustomerScore (as segment-transitions.sql reads them).
-- The open stays come grouped by start date, so a million of them are a few thousand rows before the dates multiply them.
-- @param $1 shop text
-- @param $2 dates date[]
-- @row day text
-- @row kind text
-- @row k text
-- @row customers int4
WITH open_stays AS MATERIALIZED (
  -- The open stays grouped by start date, kept by triggers on the scores (ScoreStay, migration 20261207100000).
  SELECT kind, k, since, customers AS n FROM "ScoreStay" WHERE shop = $1
), ended_stays AS MATERIALIZED (
  SELECT kind, segment AS k, "validFrom", "validTo", count(*) AS n
  FROM "SegmentMembership"
  WHERE shop = $1 AND "validTo" > (SELECT min(d) FROM unnest($2::date[]) d)
  GROUP BY 1, 2, 3, 4
)
SELECT d::text AS day, kind, k, sum(n)::int AS customers
FROM unnest($2::date[]) d
JOIN (
  SELECT kind, k, since AS valid_from, NULL::date AS valid_to, n FROM open_stays
  UNION ALL
  SELECT kind, k, "validFrom", "validTo", n FROM ended_stays
) st ON st.valid_from <= d AND (st.valid_to IS NULL OR st.valid_to > d)
GROUP BY 1, 2, 3
