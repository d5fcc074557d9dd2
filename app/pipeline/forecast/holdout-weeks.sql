-- Repeat purchase days of the calibration customers (first purchase before the cut-off $3) per week after it,
-- up to $4: week 0 = the cut-off day and the six after it.
-- @param $1 shop text
-- @param $2 timezone text
-- @param $3 cutoff date
-- @param $4 holdoutEnd date
-- @row week int4
-- @row repeats int4
WITH days AS (
  /*@include pipeline/forecast/purchase-days.fragment.sql*/
), calibration AS (
  SELECT cid FROM days GROUP BY cid HAVING min(d) < $3::date
)
SELECT ((d - $3::date) / 7)::int AS week, count(*)::int AS repeats
FROM days JOIN calibration USING (cid)
WHERE d >= $3::date
GROUP BY 1 ORDER BY 1
