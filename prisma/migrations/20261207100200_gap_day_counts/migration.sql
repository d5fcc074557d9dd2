-- The shop's median gap between orders (scoring's dissatisfied fallback) without a sort of every aggregate: how
-- many aggregates have their average gap on each whole day ("GapDayCount", kept exact by statement triggers on
-- CustomerAggregate, as ScoreValueCount on the scores), so a run finds the day holding the middle positions and
-- reads only that day's gaps, in order, off the partial index below (scoring.server.ts, medianGapOf).
CREATE TABLE "GapDayCount" (
  "shop" TEXT NOT NULL,
  "day" INTEGER NOT NULL,
  "customers" BIGINT NOT NULL,
  CONSTRAINT "GapDayCount_pkey" PRIMARY KEY ("shop", "day")
);

CREATE INDEX "CustomerAggregate_gap_idx" ON "CustomerAggregate" ("shop", "avgDaysBetweenOrders")
  WHERE "avgDaysBetweenOrders" IS NOT NULL;

INSERT INTO "GapDayCount" ("shop", "day", "customers")
SELECT shop, floor("avgDaysBetweenOrders")::int, count(*) FROM "CustomerAggregate"
WHERE "avgDaysBetweenOrders" IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2;

-- Signed gaps (n = 1 or −1) into the counts, dropping days that reached zero; keys ordered against deadlocks.
CREATE FUNCTION "GapDayCount_apply"() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "GapDayCount" AS c ("shop", "day", "customers")
  SELECT shop, floor(gap)::int, sum(n) FROM gap_day_delta WHERE gap IS NOT NULL GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2
  ON CONFLICT ("shop", "day") DO UPDATE SET "customers" = c."customers" + EXCLUDED."customers";
  DELETE FROM "GapDayCount" c USING (SELECT DISTINCT shop, floor(gap)::int AS day FROM gap_day_delta WHERE n < 0 AND gap IS NOT NULL) g
  WHERE c.shop = g.shop AND c.day = g.day AND c.customers <= 0;
END $$;

-- A transition table is visible only inside its trigger's function: the signed gaps go through a temp table.
CREATE FUNCTION "GapDayCount_delta_table"() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  CREATE TEMP TABLE IF NOT EXISTS gap_day_delta (shop text, gap float8, n int) ON COMMIT DROP;
  TRUNCATE gap_day_delta;
END $$;

CREATE FUNCTION "GapDayCount_aggregates_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "GapDayCount_delta_table"();
  INSERT INTO gap_day_delta SELECT shop, "avgDaysBetweenOrders", 1 FROM new_aggregates WHERE "avgDaysBetweenOrders" IS NOT NULL;
  PERFORM "GapDayCount_apply"();
  RETURN NULL;
END $$;

CREATE FUNCTION "GapDayCount_aggregates_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "GapDayCount_delta_table"();
  -- Only aggregates whose gap moved to another day (or appeared, or went).
  INSERT INTO gap_day_delta
  SELECT x.* FROM old_aggregates o JOIN new_aggregates w ON w.shop = o.shop AND w."customerId" = o."customerId",
    LATERAL (VALUES (o.shop, o."avgDaysBetweenOrders", -1), (w.shop, w."avgDaysBetweenOrders", 1)) x
  WHERE floor(o."avgDaysBetweenOrders") IS DISTINCT FROM floor(w."avgDaysBetweenOrders");
  PERFORM "GapDayCount_apply"();
  RETURN NULL;
END $$;

CREATE FUNCTION "GapDayCount_aggregates_deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "GapDayCount_delta_table"();
  INSERT INTO gap_day_delta SELECT shop, "avgDaysBetweenOrders", -1 FROM old_aggregates WHERE "avgDaysBetweenOrders" IS NOT NULL;
  PERFORM "GapDayCount_apply"();
  RETURN NULL;
END $$;

CREATE TRIGGER "CustomerAggregate_gap_days_inserted" AFTER INSERT ON "CustomerAggregate"
  REFERENCING NEW TABLE AS new_aggregates FOR EACH STATEMENT EXECUTE FUNCTION "GapDayCount_aggregates_inserted"();
CREATE TRIGGER "CustomerAggregate_gap_days_updated" AFTER UPDATE ON "CustomerAggregate"
  REFERENCING OLD TABLE AS old_aggregates NEW TABLE AS new_aggregates FOR EACH STATEMENT EXECUTE FUNCTION "GapDayCount_aggregates_updated"();
CREATE TRIGGER "CustomerAggregate_gap_days_deleted" AFTER DELETE ON "CustomerAggregate"
  REFERENCING OLD TABLE AS old_aggregates FOR EACH STATEMENT EXECUTE FUNCTION "GapDayCount_aggregates_deleted"();
