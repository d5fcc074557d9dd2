-- The shop's own CustomerPrediction partition (old, when it has one) and the statements that build and swap in the
-- next one, named after the run: created empty, loaded from the stage in key order, its primary key built
-- afterwards, analysed (the pages plan on its statistics), a CHECK so ATTACH need not scan it.
-- @param $1 shop text
-- @param $2 runId int8
-- @row old text?
-- @row "dropOld" text?
-- @row "create" text
-- @row "load" text
-- @row "primaryKey" text
-- @row analyze text
-- @row "check" text
-- @row attach text
-- @row "dropCheck" text
WITH next AS (SELECT 'CustomerPrediction_' || left(md5(coalesce($1::text, '')), 12) || '_' || coalesce($2::text, '0') AS name)
SELECT (SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = '"CustomerPrediction"'::regclass
          AND pg_get_expr(c.relpartbound, c.oid) = format('FOR VALUES IN (%L)', $1::text)) AS old,
       (SELECT format('DROP TABLE %I', c.relname) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = '"CustomerPrediction"'::regclass
          AND pg_get_expr(c.relpartbound, c.oid) = format('FOR VALUES IN (%L)', $1::text)) AS "dropOld",
       format('CREATE TABLE %I (LIKE "CustomerPrediction")', name) AS "create",
       format('INSERT INTO %I SELECT * FROM rfm_prediction_stage ORDER BY "customerId"', name) AS "load",
       format('ALTER TABLE %I ADD PRIMARY KEY (shop, "customerId")', name) AS "primaryKey",
       format('ANALYZE %I', name) AS analyze,
       format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (shop = %L)', name, name || '_shop', $1::text) AS "check",
       format('ALTER TABLE "CustomerPrediction" ATTACH PARTITION %I FOR VALUES IN (%L)', name, $1::text) AS attach,
       format('ALTER TABLE %I DROP CONSTRAINT %I', name, name || '_shop') AS "dropCheck"
FROM next
