-- CTEs days and per: each customer's purchase summary as of $4 — x repeat purchase days, t_x and T (to $3 − 1)
-- in days. Expects $1 shop, $2 time zone, $3 the day after $4. Pasted by the SQL generator after WITH.
days AS (
  /*@include pipeline/forecast/purchase-days.fragment.sql*/
), per AS (
  SELECT cid, count(*) - 1 AS x, (max(d) - min(d))::int AS tx, ($3::date - 1 - min(d))::int AS t
  FROM days GROUP BY cid
)
