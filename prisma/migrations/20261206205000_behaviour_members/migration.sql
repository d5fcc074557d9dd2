-- Behaviour pages read a membership table instead of 36 partial indexes on CustomerScore (20261203010000,
-- 20261204183000): a large shop's first run built every one of them with a scan of all its scores. One row per
-- customer and behaviour, with the page's sort keys, LIST-partitioned by shop as CustomerScore: a large shop's
-- first run fills its own partition in key order and indexes it afterwards (scoring.server.ts).
CREATE TABLE "CustomerBehaviour" (
  "shop" TEXT NOT NULL,
  -- Byte order: the key is an ASCII name; a "C" key sorts by memcmp (index builds several times faster).
  "behaviour" TEXT COLLATE "C" NOT NULL,
  "customerId" BIGINT NOT NULL,
  "monetary" DECIMAL(18, 4) NOT NULL,
  "lastOrderDate" DATE NOT NULL,
  "frequency" INTEGER NOT NULL,
  CONSTRAINT "CustomerBehaviour_pkey" PRIMARY KEY ("shop", "behaviour", "customerId")
) PARTITION BY LIST ("shop");
CREATE TABLE "CustomerBehaviour_default" PARTITION OF "CustomerBehaviour" DEFAULT;
-- The keyset (sort value, id) of each sort the page offers.
CREATE INDEX "CustomerBehaviour_spend_idx" ON "CustomerBehaviour"("shop", "behaviour", "monetary", "customerId");
CREATE INDEX "CustomerBehaviour_recency_idx" ON "CustomerBehaviour"("shop", "behaviour", "lastOrderDate", "customerId");
CREATE INDEX "CustomerBehaviour_orders_idx" ON "CustomerBehaviour"("shop", "behaviour", "frequency", "customerId");

INSERT INTO "CustomerBehaviour" ("shop", "behaviour", "customerId", "monetary", "lastOrderDate", "frequency")
SELECT s."shop", b, s."customerId", s."monetary", s."lastOrderDate", s."frequency"
FROM "CustomerScore" s, unnest(s."behaviours") b
ORDER BY 1, 2, 3
ON CONFLICT DO NOTHING;

DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT indexname FROM pg_indexes
           WHERE schemaname = current_schema() AND tablename = 'CustomerScore' AND indexname LIKE 'CustomerScore\_b\_%\_idx'
  LOOP
    EXECUTE format('DROP INDEX %I', r.indexname);
  END LOOP;
END $$;

-- The table follows "behaviours" and the sort keys on every write to CustomerScore, whoever writes (scoring,
-- the prediction job, removals): statement triggers with the statement's old and new rows, so a write of a few
-- rows costs a few rows and a write of many one join. A first run's own partition is filled before it is attached,
-- where no trigger fires, and fills its membership partition itself.
CREATE FUNCTION "CustomerBehaviour_scores_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "CustomerBehaviour" ("shop", "behaviour", "customerId", "monetary", "lastOrderDate", "frequency")
  SELECT n."shop", b, n."customerId", n."monetary", n."lastOrderDate", n."frequency"
  FROM new_scores n, unnest(n."behaviours") b
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE FUNCTION "CustomerBehaviour_scores_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Only rows whose behaviours or sort keys changed (most updates touch neither).
  DELETE FROM "CustomerBehaviour" m
  USING old_scores o JOIN new_scores n ON n."shop" = o."shop" AND n."customerId" = o."customerId", unnest(o."behaviours") b
  WHERE (n."behaviours", n."monetary", n."lastOrderDate", n."frequency")
        IS DISTINCT FROM (o."behaviours", o."monetary", o."lastOrderDate", o."frequency")
    AND m."shop" = o."shop" AND m."behaviour" = b COLLATE "C" AND m."customerId" = o."customerId";
  INSERT INTO "CustomerBehaviour" ("shop", "behaviour", "customerId", "monetary", "lastOrderDate", "frequency")
  SELECT n."shop", b, n."customerId", n."monetary", n."lastOrderDate", n."frequency"
  FROM new_scores n JOIN old_scores o ON o."shop" = n."shop" AND o."customerId" = n."customerId", unnest(n."behaviours") b
  WHERE (n."behaviours", n."monetary", n."lastOrderDate", n."frequency")
        IS DISTINCT FROM (o."behaviours", o."monetary", o."lastOrderDate", o."frequency")
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE FUNCTION "CustomerBehaviour_scores_deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "CustomerBehaviour" m USING old_scores o, unnest(o."behaviours") b
  WHERE m."shop" = o."shop" AND m."behaviour" = b COLLATE "C" AND m."customerId" = o."customerId";
  RETURN NULL;
END $$;

CREATE TRIGGER "CustomerScore_behaviours_inserted" AFTER INSERT ON "CustomerScore"
  REFERENCING NEW TABLE AS new_scores FOR EACH STATEMENT EXECUTE FUNCTION "CustomerBehaviour_scores_inserted"();
CREATE TRIGGER "CustomerScore_behaviours_updated" AFTER UPDATE ON "CustomerScore"
  REFERENCING OLD TABLE AS old_scores NEW TABLE AS new_scores FOR EACH STATEMENT EXECUTE FUNCTION "CustomerBehaviour_scores_updated"();
CREATE TRIGGER "CustomerScore_behaviours_deleted" AFTER DELETE ON "CustomerScore"
  REFERENCING OLD TABLE AS old_scores FOR EACH STATEMENT EXECUTE FUNCTION "CustomerBehaviour_scores_deleted"();
