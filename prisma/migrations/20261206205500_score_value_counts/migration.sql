-- The rank histogram of a shop's stored scores: customers per last order date (dim 'r', v = days since
-- 1970-01-01), per order count ('f') and per net spend ('m'). A daily run ranks from it plus the changed
-- customers' deltas instead of grouping every aggregate again (scoring.server.ts). Kept exact on every write
-- to CustomerScore by statement triggers, as CustomerBehaviour (20261206205000); a first run's own partition,
-- written before it is attached, fills its counts itself.
CREATE TABLE "ScoreValueCount" (
  "shop" TEXT NOT NULL,
  "dim" TEXT NOT NULL,
  "v" NUMERIC NOT NULL,
  "customers" BIGINT NOT NULL,
  CONSTRAINT "ScoreValueCount_pkey" PRIMARY KEY ("shop", "dim", "v")
);

INSERT INTO "ScoreValueCount" ("shop", "dim", "v", "customers")
SELECT shop, dim, v, count(*) FROM (
  SELECT shop, 'r' AS dim, ("lastOrderDate" - date '1970-01-01')::numeric AS v FROM "CustomerScore"
  UNION ALL SELECT shop, 'f', frequency FROM "CustomerScore"
  UNION ALL SELECT shop, 'm', monetary FROM "CustomerScore") x
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

CREATE FUNCTION "ScoreValueCount_scores_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "ScoreValueCount" AS c ("shop", "dim", "v", "customers")
  SELECT shop, dim, v, count(*) FROM (
    SELECT shop, 'r' AS dim, ("lastOrderDate" - date '1970-01-01')::numeric AS v FROM new_scores
    UNION ALL SELECT shop, 'f', frequency FROM new_scores
    UNION ALL SELECT shop, 'm', monetary FROM new_scores) x
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT ("shop", "dim", "v") DO UPDATE SET "customers" = c."customers" + EXCLUDED."customers";
  RETURN NULL;
END $$;

CREATE FUNCTION "ScoreValueCount_scores_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
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
  DELETE FROM "ScoreValueCount" c USING (
    SELECT DISTINCT o.shop, x.dim, x.v FROM old_scores o JOIN new_scores w ON w.shop = o.shop AND w."customerId" = o."customerId",
      LATERAL (VALUES ('r', (o."lastOrderDate" - date '1970-01-01')::numeric), ('f', o.frequency::numeric), ('m', o.monetary)) x(dim, v)
    WHERE (o."lastOrderDate", o.frequency, o.monetary) IS DISTINCT FROM (w."lastOrderDate", w.frequency, w.monetary)) g
  WHERE c.shop = g.shop AND c.dim = g.dim AND c.v = g.v AND c.customers <= 0;
  RETURN NULL;
END $$;

CREATE FUNCTION "ScoreValueCount_scores_deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  CREATE TEMP TABLE IF NOT EXISTS score_value_counts_gone (shop text, dim text, v numeric, n bigint) ON COMMIT DROP;
  TRUNCATE score_value_counts_gone;
  INSERT INTO score_value_counts_gone
  SELECT shop, dim, v, count(*) FROM (
    SELECT shop, 'r' AS dim, ("lastOrderDate" - date '1970-01-01')::numeric AS v FROM old_scores
    UNION ALL SELECT shop, 'f', frequency FROM old_scores
    UNION ALL SELECT shop, 'm', monetary FROM old_scores) x
  GROUP BY 1, 2, 3;
  UPDATE "ScoreValueCount" c SET "customers" = c."customers" - d.n FROM score_value_counts_gone d
  WHERE c.shop = d.shop AND c.dim = d.dim AND c.v = d.v;
  DELETE FROM "ScoreValueCount" c USING score_value_counts_gone d
  WHERE c.shop = d.shop AND c.dim = d.dim AND c.v = d.v AND c.customers <= 0;
  RETURN NULL;
END $$;

CREATE TRIGGER "CustomerScore_value_counts_inserted" AFTER INSERT ON "CustomerScore"
  REFERENCING NEW TABLE AS new_scores FOR EACH STATEMENT EXECUTE FUNCTION "ScoreValueCount_scores_inserted"();
CREATE TRIGGER "CustomerScore_value_counts_updated" AFTER UPDATE ON "CustomerScore"
  REFERENCING OLD TABLE AS old_scores NEW TABLE AS new_scores FOR EACH STATEMENT EXECUTE FUNCTION "ScoreValueCount_scores_updated"();
CREATE TRIGGER "CustomerScore_value_counts_deleted" AFTER DELETE ON "CustomerScore"
  REFERENCING OLD TABLE AS old_scores FOR EACH STATEMENT EXECUTE FUNCTION "ScoreValueCount_scores_deleted"();
