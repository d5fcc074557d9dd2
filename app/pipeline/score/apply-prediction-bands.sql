-- applyPredictions' changed customers: new bands and behaviours. $2: JSON [{id, behaviours, since, p, v, o}].
-- @param $1 shop text
-- @param $2 rows jsonb
UPDATE "CustomerScore" cs
SET behaviours = x.behaviours, "behaviourSince" = x.since, "pAliveBand" = x.p, "valueTier" = x.v,
    "ordersBand" = x.o, "updatedAt" = now()
FROM jsonb_to_recordset($2::jsonb) AS x(id text, behaviours text[], since date[], p text, v text, o text)
WHERE cs.shop = $1 AND cs."customerId" = x.id::bigint
