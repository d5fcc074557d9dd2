-- The newest stored InsightRun as the insights page shows it: every part, but of the first products only the
-- groups the page's two ranked lists show (the first $2 keys of makesLoyal and of noReturn). A shop's products
-- above minimum support are thousands; the page shows 20 and the CSV export reads the whole run.
-- @param $1 shop text
-- @param $2 shown int4
-- @row id int8
-- @row scoring_run_id int8
-- @row computed_at timestamptz
-- @row first_products jsonb
-- @row coupon_cohorts jsonb
-- @row cohorts jsonb
-- @row channels jsonb?
SELECT r.id, r."scoringRunId" AS scoring_run_id, r."computedAt" AS computed_at,
  jsonb_set(r."firstProducts", '{products,groups}', coalesce((
    SELECT jsonb_agg(g.value ORDER BY g.ordinality)
    FROM jsonb_array_elements(r."firstProducts" -> 'products' -> 'groups') WITH ORDINALITY g
    WHERE g.value ->> 'key' IN (
      SELECT k.value FROM jsonb_array_elements_text(r."firstProducts" -> 'products' -> 'makesLoyal') WITH ORDINALITY k
      WHERE k.ordinality <= $2
      UNION ALL
      SELECT k.value FROM jsonb_array_elements_text(r."firstProducts" -> 'products' -> 'noReturn') WITH ORDINALITY k
      WHERE k.ordinality <= $2)
  ), '[]'::jsonb)) AS first_products,
  r."couponCohorts" AS coupon_cohorts, r.cohorts, r.channels
FROM "InsightRun" r
WHERE r.shop = $1
ORDER BY r.id DESC
LIMIT 1
