-- customers/redact: take the customer out of the stored "most likely to move down" lists.
-- @param $1 shop text
-- @param $2 customerId text
UPDATE "ForecastRun"
SET "segmentForecast" = jsonb_set("segmentForecast", '{movingDown}', (
  SELECT coalesce(jsonb_agg(e ORDER BY i), '[]'::jsonb)
  FROM jsonb_array_elements("segmentForecast"->'movingDown') WITH ORDINALITY AS m(e, i)
  WHERE e->>'customerId' <> $2
))
WHERE shop = $1 AND "segmentForecast"->'movingDown' @> jsonb_build_array(jsonb_build_object('customerId', $2::text))
