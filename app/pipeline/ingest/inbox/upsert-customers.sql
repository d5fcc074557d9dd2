-- Customer patches (one per customer), set-based: a field the patch leaves out keeps its stored value, a stored
-- state newer than the patch is kept, a tombstoned customer stays deleted. New customers are inserted.
-- @param $1 shop text
-- @param $2 patches jsonb
WITH p AS (
  SELECT (e.j->>'id')::bigint AS id, (e.j->>'updatedAt')::timestamptz AS at, e.j
  FROM jsonb_array_elements($2::jsonb) AS e(j)
), updated AS (
  UPDATE "Customer" c SET
    email = CASE WHEN p.j ? 'email' THEN p.j->>'email' ELSE c.email END,
    "firstName" = CASE WHEN p.j ? 'firstName' THEN p.j->>'firstName' ELSE c."firstName" END,
    "lastName" = CASE WHEN p.j ? 'lastName' THEN p.j->>'lastName' ELSE c."lastName" END,
    locale = CASE WHEN p.j ? 'locale' THEN p.j->>'locale' ELSE c.locale END,
    tags = CASE WHEN p.j ? 'tags' THEN ARRAY(SELECT jsonb_array_elements_text(p.j->'tags')) ELSE c.tags END,
    phone = CASE WHEN p.j ? 'phone' THEN p.j->>'phone' ELSE c.phone END,
    "countryCode" = CASE WHEN p.j ? 'countryCode' THEN p.j->>'countryCode' ELSE c."countryCode" END,
    "emailMarketingState" = CASE WHEN p.j ? 'emailMarketingState' THEN p.j->>'emailMarketingState'
      ELSE c."emailMarketingState" END,
    "emailMarketingOptInLevel" = CASE WHEN p.j ? 'emailMarketingOptInLevel' THEN p.j->>'emailMarketingOptInLevel'
      ELSE c."emailMarketingOptInLevel" END,
    "emailMarketingUpdatedAt" = CASE WHEN p.j ? 'emailMarketingUpdatedAt'
      THEN (p.j->>'emailMarketingUpdatedAt')::timestamptz ELSE c."emailMarketingUpdatedAt" END,
    "smsMarketingState" = CASE WHEN p.j ? 'smsMarketingState' THEN p.j->>'smsMarketingState'
      ELSE c."smsMarketingState" END,
    "smsMarketingOptInLevel" = CASE WHEN p.j ? 'smsMarketingOptInLevel' THEN p.j->>'smsMarketingOptInLevel'
      ELSE c."smsMarketingOptInLevel" END,
    "smsMarketingUpdatedAt" = CASE WHEN p.j ? 'smsMarketingUpdatedAt'
      THEN (p.j->>'smsMarketingUpdatedAt')::timestamptz ELSE c."smsMarketingUpdatedAt" END,
    "shopifyCreatedAt" = CASE WHEN p.j ? 'createdAt' THEN (p.j->>'createdAt')::timestamptz ELSE c."shopifyCreatedAt" END,
    "shopifyUpdatedAt" = p.at
  FROM p
  WHERE c.shop = $1 AND c.id = p.id AND c."deletedAt" IS NULL AND c."shopifyUpdatedAt" <= p.at
)
INSERT INTO "Customer" (shop, id, email, "firstName", "lastName", locale, tags, phone, "countryCode",
  "emailMarketingState", "emailMarketingOptInLevel", "emailMarketingUpdatedAt",
  "smsMarketingState", "smsMarketingOptInLevel", "smsMarketingUpdatedAt", "shopifyCreatedAt", "shopifyUpdatedAt")
SELECT $1, p.id, p.j->>'email', p.j->>'firstName', p.j->>'lastName', p.j->>'locale',
  ARRAY(SELECT jsonb_array_elements_text(coalesce(p.j->'tags', '[]'::jsonb))), p.j->>'phone', p.j->>'countryCode',
  p.j->>'emailMarketingState', p.j->>'emailMarketingOptInLevel', (p.j->>'emailMarketingUpdatedAt')::timestamptz,
  p.j->>'smsMarketingState', p.j->>'smsMarketingOptInLevel', (p.j->>'smsMarketingUpdatedAt')::timestamptz,
  (p.j->>'createdAt')::timestamptz, p.at
FROM p
WHERE NOT EXISTS (SELECT 1 FROM "Customer" c WHERE c.shop = $1 AND c.id = p.id)
ORDER BY p.id
ON CONFLICT (shop, id) DO NOTHING
