-- The purchase model's calibration data for a back-test with cut-off $3: distinct (x, t_x, T) in days built only
-- from purchase days before $3, with their customers and the repeat purchase days they made from $3 to $4 (the
-- holdout). T runs to the last calibration day ($3 − 1), as summarise() in domain/clv/summary.ts measures it.
-- Customers whose first purchase is on or after the cut-off are not in the calibration.
-- @param $1 shop text
-- @param $2 timezone text
-- @param $3 cutoff date
-- @param $4 holdoutEnd date
-- @row x int4
-- @row txDays int4
-- @row TDays int4
-- @row customers int4
-- @row holdoutRepeats int4
WITH days AS (
  /*@include pipeline/forecast/purchase-days.fragment.sql*/
), per AS (
  SELECT cid, min(d) AS first_d, max(d) FILTER (WHERE d < $3::date) AS last_d,
         count(*) FILTER (WHERE d < $3::date) - 1 AS x, count(*) FILTER (WHERE d >= $3::date) AS holdout
  FROM days GROUP BY cid
)
SELECT x::int AS x, (last_d - first_d)::int AS "txDays", ($3::date - 1 - first_d)::int AS "TDays",
       count(*)::int AS customers, sum(holdout)::int AS "holdoutRepeats"
FROM per WHERE first_d < $3::date
GROUP BY 1, 2, 3
