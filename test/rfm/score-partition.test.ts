import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { recomputeShopAggregates } from "../../app/pipeline/aggregate/aggregates.server";
import { runFullScoring } from "../../app/pipeline/score/scoring.server";
import { historyOf, latestRunOf, scoresOf, seedTwinOrders, type Row } from "./scoring-rows";

/**
 * A large shop's first run writes its own CustomerScore partition (sorted
 * load, indexes after, ATTACH); a small shop's upserts into the default one.
 * Twin shops with the same orders, one down each path, must end with the same
 * scores, behaviours, history and dashboard summary, run after run.
 */

const db = createDb(process.env.DATABASE_URL as string, 2);
const OWN = "partition-own.myshopify.com";
const SHARED = "partition-shared.myshopify.com";
const TZ = "America/New_York";
const CUSTOMERS = 400;

async function seedShop(shop: string) {
  await db.shop.create({ data: { shop, ianaTimezone: TZ } });
  await seedTwinOrders(db, shop, CUSTOMERS, 900);
  await recomputeShopAggregates(db, shop);
}

const partitionsOf = async (shop: string) =>
  db.$queryRawUnsafe<{ name: string; indexes: number }[]>(
    `SELECT c.relname AS name, (SELECT count(*)::int FROM pg_index x WHERE x.indrelid = c.oid) AS indexes
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = '"CustomerScore"'::regclass AND pg_get_expr(c.relpartbound, c.oid) = format('FOR VALUES IN (%L)', $1::text)`,
    shop,
  );

/** The behaviour pages' membership rows, and the same derived from the stored behaviours. */
const membersOf = async (shop: string) =>
  db.$queryRawUnsafe<Row[]>(
    `SELECT behaviour, "customerId"::text AS id, monetary::text, "lastOrderDate"::text, frequency
     FROM "CustomerBehaviour" WHERE shop = $1 ORDER BY 1, 2`,
    shop,
  );
const storedMembersOf = async (shop: string) =>
  db.$queryRawUnsafe<Row[]>(
    `SELECT b AS behaviour, "customerId"::text AS id, monetary::text, "lastOrderDate"::text, frequency
     FROM "CustomerScore", unnest(behaviours) b WHERE shop = $1 ORDER BY 1, 2`,
    shop,
  );

async function expectTwinsEqual() {
  const [own, shared] = await Promise.all([scoresOf(db, OWN), scoresOf(db, SHARED)]);
  expect(own.length).toBe(CUSTOMERS);
  expect(own).toEqual(shared);
  const members = await membersOf(OWN);
  expect(members.length).toBeGreaterThan(0);
  expect(members).toEqual(await storedMembersOf(OWN));
  expect(await membersOf(SHARED)).toEqual(members);
  expect(await historyOf(db, OWN)).toEqual(await historyOf(db, SHARED));
  expect(await latestRunOf(db, OWN)).toEqual(await latestRunOf(db, SHARED));
}

beforeAll(async () => {
  await seedShop(OWN);
  await seedShop(SHARED);
}, 60_000);

afterAll(async () => {
  await db.$disconnect();
});

describe("a large shop's own CustomerScore partition", () => {
  it("GIVEN twin shops WHEN one's first run writes its own partition THEN scores, history and summary equal the upsert path's, every later day too", async () => {
    await runFullScoring(db, OWN, { asOf: "2026-11-20", ownPartitionFrom: 1 });
    await runFullScoring(db, SHARED, { asOf: "2026-11-20" });
    const [own] = await partitionsOf(OWN);
    const parentIndexes = await db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pg_index WHERE indrelid = '"CustomerScore"'::regclass`,
    );
    // Every parent index (primary key included) was built on the partition and attached, none left to build.
    const attached = await db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pg_index x JOIN pg_inherits i ON i.inhrelid = x.indexrelid
       WHERE x.indrelid = format('%I', $1::text)::regclass`,
      own?.name,
    );
    expect(attached[0]?.n).toBe(parentIndexes[0]?.n);
    // Beside them the default partition's sort indexes, without the leading shop (one shop here).
    const definitions = (table: string) =>
      db.$queryRawUnsafe<{ def: string }[]>(
        `SELECT regexp_replace(pg_get_indexdef(indexrelid), ' INDEX \\S+ ON \\S+ ', ' INDEX ON t ') AS def
         FROM pg_index WHERE indrelid = format('%I', $1::text)::regclass ORDER BY 1`,
        table,
      );
    const expected = (await definitions("CustomerScore_default"))
      .map((r) => ({ def: r.def.replace("(shop, segment, ", "(segment, ") }))
      .sort((a, b) => (a.def < b.def ? -1 : a.def > b.def ? 1 : 0));
    expect(expected.filter((r) => r.def.includes("(segment, ")).length).toBe(3);
    expect(await definitions(own?.name ?? "")).toEqual(expected);
    expect(await partitionsOf(SHARED)).toEqual([]);
    // The behaviour members too: their own partition, filled in key order and indexed after.
    const [ownMembers] = await db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = '"CustomerBehaviour"'::regclass AND pg_get_expr(c.relpartbound, c.oid) = format('FOR VALUES IN (%L)', $1::text)`,
      OWN,
    );
    expect(ownMembers?.n).toBe(1);
    const behaviours = new Set((await scoresOf(db, OWN)).flatMap((r) => r.behaviours as string[]));
    expect(behaviours.has("sale_shopper")).toBe(true);
    await expectTwinsEqual();

    // Later runs upsert into the shop's partition like any other.
    for (const asOf of ["2026-11-21", "2026-12-05", "2027-02-01"]) {
      await runFullScoring(db, OWN, { asOf, ownPartitionFrom: 1 });
      await runFullScoring(db, SHARED, { asOf });
      await expectTwinsEqual();
    }
  });

  it("GIVEN a shop whose scores were deleted WHEN its next first run writes a partition THEN it replaces the old one", async () => {
    const [before] = await partitionsOf(OWN);
    for (const shop of [OWN, SHARED]) {
      await db.customerScore.deleteMany({ where: { shop } });
      await db.segmentMembership.deleteMany({ where: { shop } });
      await runFullScoring(db, shop, { asOf: "2027-02-02", ownPartitionFrom: shop === OWN ? 1 : undefined });
    }
    const after = await partitionsOf(OWN);
    expect(after.length).toBe(1);
    expect(after[0]?.name).toBe(before?.name);
    await expectTwinsEqual();
  });
});
