-- customers/delete and the merged-away side of customers/merge: a tombstone (created when the customer is not
-- known yet) and no aggregate.
-- @param $1 shop text
-- @param $2 customerIds int8[]
WITH tombstones AS (
  INSERT INTO "Customer" AS c (shop, id, tags, "shopifyUpdatedAt", "deletedAt")
  SELECT $1, d.id, '{}', now(), now() FROM (SELECT DISTINCT unnest($2::bigint[]) AS id) d ORDER BY d.id
  ON CONFLICT (shop, id) DO UPDATE SET "deletedAt" = EXCLUDED."deletedAt"
)
DELETE FROM "CustomerAggregate" ca WHERE ca.shop = $1 AND ca."customerId" = ANY($2::bigint[])
