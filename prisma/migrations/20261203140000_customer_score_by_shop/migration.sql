-- CustomerScore partitioned by shop (LIST; every key already starts with shop). A large shop's first run builds
-- its own partition in key order, indexes it afterwards and attaches it (scoring.server.ts); every other shop
-- lives in the default partition. The indexes are carried over by definition, so the ones added by earlier
-- migrations keep their names (on the parent; each partition gets its own copy).
DO $$
DECLARE
  defs text[] := '{}';
  r record;
  d text;
BEGIN
  FOR r IN SELECT indexname, indexdef FROM pg_indexes
           WHERE schemaname = current_schema() AND tablename = 'CustomerScore' AND indexname <> 'CustomerScore_pkey'
  LOOP
    defs := defs || r.indexdef;
    EXECUTE format('DROP INDEX %I', r.indexname);
  END LOOP;
  ALTER TABLE "CustomerScore" RENAME TO "CustomerScore_unpartitioned";
  ALTER TABLE "CustomerScore_unpartitioned" RENAME CONSTRAINT "CustomerScore_pkey" TO "CustomerScore_unpartitioned_pkey";
  CREATE TABLE "CustomerScore" (LIKE "CustomerScore_unpartitioned" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
    PARTITION BY LIST (shop);
  ALTER TABLE "CustomerScore" ADD CONSTRAINT "CustomerScore_pkey" PRIMARY KEY (shop, "customerId");
  CREATE TABLE "CustomerScore_default" PARTITION OF "CustomerScore" DEFAULT;
  INSERT INTO "CustomerScore" SELECT * FROM "CustomerScore_unpartitioned" ORDER BY shop, "customerId";
  DROP TABLE "CustomerScore_unpartitioned";
  FOREACH d IN ARRAY defs LOOP
    EXECUTE d;
  END LOOP;
END $$;
