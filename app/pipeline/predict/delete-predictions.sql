-- A shop's stored predictions (before a new run's load, or when a run is not sufficient).
-- @param $1 shop text
DELETE FROM "CustomerPrediction" WHERE shop = $1
