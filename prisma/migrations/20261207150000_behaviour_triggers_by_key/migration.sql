-- The statement triggers of 20261206205000 / 20261206205500 read the shop's whole membership partition (and all its
-- value counts) on every UPDATE of CustomerScore: the old rows were joined to CustomerBehaviour on (shop, customerId)
-- before the behaviours were unnested, so no index applied. applyPredictions updates a shop in pages of 5 000: at 1 M that was
-- a scan of every membership per page, past its 10-minute transaction. Now the rows that go are collected with their
-- full key first and deleted by primary key ("CustomerBehaviour_delete"); a customer's rows are rewritten only for what changed (a behaviour added
-- inserts one row and leaves the others alone); and the counts are cleaned only when a count moved.
-- Deletes memberships by primary key, one probe each: a hash of the whole partition is never cheaper for the
-- statement-sized lists the triggers pass, but the planner, costing each probe as a random read, picks it from a
-- few thousand rows on.
CREATE FUNCTION "CustomerBehaviour_delete"(shops text[], behaviours text[], ids bigint[]) RETURNS void
LANGUAGE sql SET enable_hashjoin = off SET enable_mergejoin = off AS $$
  DELETE FROM "CustomerBehaviour" m USING unnest(shops, behaviours, ids) g("shop", "behaviour", "customerId")
  WHERE m."shop" = g."shop" AND m."behaviour" = g."behaviour" COLLATE "C" AND m."customerId" = g."customerId";
$$;

CREATE OR REPLACE FUNCTION "CustomerBehaviour_scores_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  gone_shops text[];
  gone_behaviours text[];
  gone_ids bigint[];
BEGIN
  -- A membership goes when its behaviour went or the customer's sort keys moved; it comes when its behaviour came
  -- or the sort keys moved.
  SELECT array_agg(o."shop"), array_agg(b), array_agg(o."customerId") INTO gone_shops, gone_behaviours, gone_ids
  FROM old_scores o JOIN new_scores n ON n."shop" = o."shop" AND n."customerId" = o."customerId", unnest(o."behaviours") b
  WHERE (n."monetary", n."lastOrderDate", n."frequency") IS DISTINCT FROM (o."monetary", o."lastOrderDate", o."frequency")
     OR NOT (b = ANY (coalesce(n."behaviours", '{}')));
  IF gone_ids IS NOT NULL THEN
    PERFORM "CustomerBehaviour_delete"(gone_shops, gone_behaviours, gone_ids);
  END IF;
  INSERT INTO "CustomerBehaviour" ("shop", "behaviour", "customerId", "monetary", "lastOrderDate", "frequency")
  SELECT n."shop", b, n."customerId", n."monetary", n."lastOrderDate", n."frequency"
  FROM new_scores n JOIN old_scores o ON o."shop" = n."shop" AND o."customerId" = n."customerId", unnest(n."behaviours") b
  WHERE (n."monetary", n."lastOrderDate", n."frequency") IS DISTINCT FROM (o."monetary", o."lastOrderDate", o."frequency")
     OR NOT (b = ANY (coalesce(o."behaviours", '{}')))
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION "CustomerBehaviour_scores_deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "CustomerBehaviour_delete"(array_agg(o."shop"), array_agg(b), array_agg(o."customerId"))
  FROM old_scores o, unnest(o."behaviours") b HAVING count(*) > 0;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION "ScoreValueCount_scores_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Only rows whose values moved (most updates move none); keys ordered, as every writer, against deadlocks.
  INSERT INTO "ScoreValueCount" AS c ("shop", "dim", "v", "customers")
  SELECT shop, dim, v, sum(n) FROM (
    SELECT x.* FROM old_scores o JOIN new_scores w ON w.shop = o.shop AND w."customerId" = o."customerId",
      LATERAL (VALUES (o.shop, 'r', (o."lastOrderDate" - date '1970-01-01')::numeric, -1),
                      (o.shop, 'f', o.frequency::numeric, -1), (o.shop, 'm', o.monetary, -1),
                      (w.shop, 'r', (w."lastOrderDate" - date '1970-01-01')::numeric, 1),
                      (w.shop, 'f', w.frequency::numeric, 1), (w.shop, 'm', w.monetary, 1)) x(shop, dim, v, n)
    WHERE (o."lastOrderDate", o.frequency, o.monetary) IS DISTINCT FROM (w."lastOrderDate", w.frequency, w.monetary)) d
  GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3
  ON CONFLICT ("shop", "dim", "v") DO UPDATE SET "customers" = c."customers" + EXCLUDED."customers";
  -- No count moved: none can have emptied (this delete reads all of the shop's counts).
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  DELETE FROM "ScoreValueCount" c USING (
    SELECT DISTINCT o.shop, x.dim, x.v FROM old_scores o JOIN new_scores w ON w.shop = o.shop AND w."customerId" = o."customerId",
      LATERAL (VALUES ('r', (o."lastOrderDate" - date '1970-01-01')::numeric), ('f', o.frequency::numeric), ('m', o.monetary)) x(dim, v)
    WHERE (o."lastOrderDate", o.frequency, o.monetary) IS DISTINCT FROM (w."lastOrderDate", w.frequency, w.monetary)) g
  WHERE c.shop = g.shop AND c.dim = g.dim AND c.v = g.v AND c.customers <= 0;
  RETURN NULL;
END $$;
