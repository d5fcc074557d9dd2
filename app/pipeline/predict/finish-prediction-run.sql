-- A prediction run's end: when its predictions are stored, and (sufficient runs) its per-segment summary.
-- @param $1 shop text
-- @param $2 runId int8
-- @param $3 summary jsonb?
UPDATE "PredictionRun" SET "finishedAt" = clock_timestamp(), summary = $3::jsonb WHERE shop = $1 AND id = $2
