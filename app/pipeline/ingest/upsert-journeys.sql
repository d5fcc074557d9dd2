-- Journeys Shopify answered for one batch of orders (domain/insights/journey.ts shaped them), replacing what was stored.
-- @param $1 shop text
-- @param $2 journeys jsonb
INSERT INTO "OrderJourney" (shop, "orderId", state, "customerOrderIndex", "daysToConversion", source, "sourceType",
  "utmCampaign", "utmMedium", "utmSource", "checkedAt")
SELECT $1, j."orderId", j.state, j."customerOrderIndex", j."daysToConversion", j.source, j."sourceType",
  j."utmCampaign", j."utmMedium", j."utmSource", now()
FROM jsonb_to_recordset($2::jsonb) AS j("orderId" bigint, state text, "customerOrderIndex" int, "daysToConversion" int,
  source text, "sourceType" text, "utmCampaign" text, "utmMedium" text, "utmSource" text)
ORDER BY j."orderId"
ON CONFLICT (shop, "orderId") DO UPDATE SET state = EXCLUDED.state, "customerOrderIndex" = EXCLUDED."customerOrderIndex",
  "daysToConversion" = EXCLUDED."daysToConversion", source = EXCLUDED.source, "sourceType" = EXCLUDED."sourceType",
  "utmCampaign" = EXCLUDED."utmCampaign", "utmMedium" = EXCLUDED."utmMedium", "utmSource" = EXCLUDED."utmSource",
  "checkedAt" = EXCLUDED."checkedAt"
