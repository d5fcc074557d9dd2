-- What a run's dashboard summary adds up, kept per shop so a daily run reads a few thousand rows instead of every
-- score (run-summary.server.ts): "ScoreCell", the scores grouped by segment, R, F, behaviours and last order date
-- (customers, their spend and orders), and "ScoreStay", the open stays grouped by segment or behaviour and start
-- date (segment sizes on past dates). Kept exact on every write to CustomerScore by statement triggers, as
-- ScoreValueCount (20261206205500): old row minus, new row plus. A first run's own partition, written before it is
-- attached, fires none: that run groups its scores into both once (scoring.server.ts, refillScoreCells).
CREATE TABLE "ScoreCell" (
  "shop" TEXT NOT NULL,
  "segment" TEXT NOT NULL,
  "r" INTEGER NOT NULL,
  "f" INTEGER NOT NULL,
  "behaviours" TEXT[] NOT NULL,
  "lastOrderDate" DATE NOT NULL,
  "customers" BIGINT NOT NULL,
  "revenue" NUMERIC NOT NULL,
  "orders" BIGINT NOT NULL,
  CONSTRAINT "ScoreCell_pkey" PRIMARY KEY ("shop", "segment", "r", "f", "behaviours", "lastOrderDate")
);

CREATE TABLE "ScoreStay" (
  "shop" TEXT NOT NULL,
  "kind" TEXT NOT NULL,
  "k" TEXT NOT NULL,
  "since" DATE NOT NULL,
  "customers" BIGINT NOT NULL,
  CONSTRAINT "ScoreStay_pkey" PRIMARY KEY ("shop", "kind", "k", "since")
);

INSERT INTO "ScoreCell" ("shop", "segment", "r", "f", "behaviours", "lastOrderDate", "customers", "revenue", "orders")
SELECT shop, segment, r, f, behaviours, "lastOrderDate", count(*), sum(monetary), sum(frequency)
FROM "CustomerScore" GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6;

INSERT INTO "ScoreStay" ("shop", "kind", "k", "since", "customers")
SELECT shop, kind, k, since, count(*) FROM (
  SELECT shop, 'rfm' AS kind, segment AS k, "segmentSince" AS since FROM "CustomerScore"
  UNION ALL
  SELECT s.shop, 'behaviour', x.b, coalesce(x.since, s."segmentSince")
  FROM "CustomerScore" s, unnest(s.behaviours, s."behaviourSince") AS x(b, since) WHERE x.b IS NOT NULL) st
GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;

-- Adds signed score rows (n = 1 or −1) to both tables and drops what reached zero: the one rule every trigger
-- below applies to its transition tables. Keys ordered, as every writer, against deadlocks.
CREATE FUNCTION "ScoreCell_apply"() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "ScoreCell" AS c ("shop", "segment", "r", "f", "behaviours", "lastOrderDate", "customers", "revenue", "orders")
  SELECT shop, segment, r, f, behaviours, "lastOrderDate", sum(n), sum(n * monetary), sum(n * frequency)
  FROM score_cell_delta GROUP BY 1, 2, 3, 4, 5, 6
  HAVING sum(n) <> 0 OR sum(n * monetary) <> 0 OR sum(n * frequency) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT ("shop", "segment", "r", "f", "behaviours", "lastOrderDate") DO UPDATE
  SET "customers" = c."customers" + EXCLUDED."customers", "revenue" = c."revenue" + EXCLUDED."revenue",
      "orders" = c."orders" + EXCLUDED."orders";
  DELETE FROM "ScoreCell" c USING (SELECT DISTINCT shop, segment, r, f, behaviours, "lastOrderDate" FROM score_cell_delta WHERE n < 0) g
  WHERE c.shop = g.shop AND c.segment = g.segment AND c.r = g.r AND c.f = g.f AND c.behaviours = g.behaviours
    AND c."lastOrderDate" = g."lastOrderDate" AND c.customers <= 0;
  INSERT INTO "ScoreStay" AS c ("shop", "kind", "k", "since", "customers")
  SELECT shop, kind, k, since, sum(n) FROM (
    SELECT shop, 'rfm' AS kind, segment AS k, "segmentSince" AS since, n FROM score_cell_delta
    UNION ALL
    SELECT d.shop, 'behaviour', x.b, coalesce(x.since, d."segmentSince"), d.n
    FROM score_cell_delta d, unnest(d.behaviours, d."behaviourSince") AS x(b, since) WHERE x.b IS NOT NULL) st
  GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4
  ON CONFLICT ("shop", "kind", "k", "since") DO UPDATE SET "customers" = c."customers" + EXCLUDED."customers";
  DELETE FROM "ScoreStay" c WHERE c.customers <= 0 AND (c.shop, c.kind, c.k, c.since) IN (
    SELECT shop, 'rfm', segment, "segmentSince" FROM score_cell_delta WHERE n < 0
    UNION SELECT d.shop, 'behaviour', x.b, coalesce(x.since, d."segmentSince")
    FROM score_cell_delta d, unnest(d.behaviours, d."behaviourSince") AS x(b, since) WHERE d.n < 0 AND x.b IS NOT NULL);
END $$;

-- The signed rows go through a temp table: a transition table is visible only inside its trigger's function.
CREATE FUNCTION "ScoreCell_delta_table"() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  CREATE TEMP TABLE IF NOT EXISTS score_cell_delta (
    shop text, segment text, r int, f int, behaviours text[], "lastOrderDate" date, monetary numeric, frequency int,
    "segmentSince" date, "behaviourSince" date[], n int) ON COMMIT DROP;
  TRUNCATE score_cell_delta;
END $$;

CREATE FUNCTION "ScoreCell_scores_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "ScoreCell_delta_table"();
  INSERT INTO score_cell_delta
  SELECT shop, segment, r, f, behaviours, "lastOrderDate", monetary, frequency, "segmentSince", "behaviourSince", 1 FROM new_scores;
  PERFORM "ScoreCell_apply"();
  RETURN NULL;
END $$;

CREATE FUNCTION "ScoreCell_scores_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "ScoreCell_delta_table"();
  -- Only rows whose summary columns moved (most updates move none).
  INSERT INTO score_cell_delta
  SELECT x.* FROM old_scores o JOIN new_scores w ON w.shop = o.shop AND w."customerId" = o."customerId",
    LATERAL (VALUES (o.shop, o.segment, o.r, o.f, o.behaviours, o."lastOrderDate", o.monetary, o.frequency, o."segmentSince", o."behaviourSince", -1),
                    (w.shop, w.segment, w.r, w.f, w.behaviours, w."lastOrderDate", w.monetary, w.frequency, w."segmentSince", w."behaviourSince", 1)) x
  WHERE (o.segment, o.r, o.f, o.behaviours, o."lastOrderDate", o.monetary, o.frequency, o."segmentSince", o."behaviourSince")
        IS DISTINCT FROM (w.segment, w.r, w.f, w.behaviours, w."lastOrderDate", w.monetary, w.frequency, w."segmentSince", w."behaviourSince");
  PERFORM "ScoreCell_apply"();
  RETURN NULL;
END $$;

CREATE FUNCTION "ScoreCell_scores_deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "ScoreCell_delta_table"();
  INSERT INTO score_cell_delta
  SELECT shop, segment, r, f, behaviours, "lastOrderDate", monetary, frequency, "segmentSince", "behaviourSince", -1 FROM old_scores;
  PERFORM "ScoreCell_apply"();
  RETURN NULL;
END $$;

CREATE TRIGGER "CustomerScore_cells_inserted" AFTER INSERT ON "CustomerScore"
  REFERENCING NEW TABLE AS new_scores FOR EACH STATEMENT EXECUTE FUNCTION "ScoreCell_scores_inserted"();
CREATE TRIGGER "CustomerScore_cells_updated" AFTER UPDATE ON "CustomerScore"
  REFERENCING OLD TABLE AS old_scores NEW TABLE AS new_scores FOR EACH STATEMENT EXECUTE FUNCTION "ScoreCell_scores_updated"();
CREATE TRIGGER "CustomerScore_cells_deleted" AFTER DELETE ON "CustomerScore"
  REFERENCING OLD TABLE AS old_scores FOR EACH STATEMENT EXECUTE FUNCTION "ScoreCell_scores_deleted"();
