import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";

/**
 * CustomerBehaviour and ScoreValueCount follow every write to CustomerScore through statement triggers
 * (migrations 20261206205000, 20261206205500, 20261207150000). Writes of every kind the app makes — a behaviour
 * added, one dropped, sort keys moved with or without a behaviour change, rows deleted, in one statement of
 * many rows — must leave both equal to what the stored scores say.
 */

const db = createDb(process.env.DATABASE_URL as string, 2);
const SHOP = "behaviour-members.myshopify.com";
const OTHER = "behaviour-members-other.myshopify.com";
const CUSTOMERS = 600;

afterAll(async () => {
  await db.$disconnect();
});

type Row = Record<string, unknown>;

const membersOf = (shop: string) =>
  db.$queryRawUnsafe<Row[]>(
    `SELECT behaviour, "customerId"::text AS id, monetary::text, "lastOrderDate"::text, frequency
     FROM "CustomerBehaviour" WHERE shop = $1 ORDER BY 1, 2`,
    shop,
  );
const storedMembersOf = (shop: string) =>
  db.$queryRawUnsafe<Row[]>(
    `SELECT b AS behaviour, "customerId"::text AS id, monetary::text, "lastOrderDate"::text, frequency
     FROM "CustomerScore", unnest(behaviours) b WHERE shop = $1 ORDER BY 1, 2`,
    shop,
  );
const countsOf = (shop: string) =>
  db.$queryRawUnsafe<Row[]>(
    `SELECT dim, v::text, customers::int FROM "ScoreValueCount" WHERE shop = $1 ORDER BY 1, v`,
    shop,
  );
const groupedCountsOf = (shop: string) =>
  db.$queryRawUnsafe<Row[]>(
    `SELECT dim, v::text, count(*)::int AS customers FROM (
       SELECT 'r' AS dim, ("lastOrderDate" - date '1970-01-01')::numeric AS v FROM "CustomerScore" WHERE shop = $1
       UNION ALL SELECT 'f', frequency FROM "CustomerScore" WHERE shop = $1
       UNION ALL SELECT 'm', monetary FROM "CustomerScore" WHERE shop = $1) x
     GROUP BY 1, 2, v ORDER BY 1, v`,
    shop,
  );

async function expectFollowed() {
  for (const shop of [SHOP, OTHER]) {
    expect(await membersOf(shop)).toEqual(await storedMembersOf(shop));
    expect(await countsOf(shop)).toEqual(await groupedCountsOf(shop));
  }
}

/** Every customer with 0–2 of three behaviours; some values shared, so counts are above one. */
async function seedScores(shop: string) {
  await db.$executeRawUnsafe(
    `INSERT INTO "CustomerScore" (shop, "customerId", "lastOrderDate", frequency, monetary, r, f, m, segment,
       "segmentSince", behaviours, "behaviourSince", "scoredRunId")
     SELECT $1, g, date '2026-01-01' - (g % 97)::int, 1 + g % 7, (g % 53) * 10.5, 1, 1, 1, 'loyal', date '2026-01-01',
       b, array_fill(date '2026-01-01', ARRAY[cardinality(b)]), 1
     FROM generate_series(1, $2::int) g,
       LATERAL (SELECT CASE g % 4 WHEN 0 THEN '{}'::text[] WHEN 1 THEN ARRAY['vip_top_5'] WHEN 2 THEN ARRAY['vip_top_5', 'coupon_shopper']
                ELSE ARRAY['sale_shopper'] END AS b) x`,
    shop,
    CUSTOMERS,
  );
}

describe("the behaviour membership rows and value counts follow the stored scores", () => {
  it("GIVEN two shops' scores WHEN one's rows are updated and deleted in every way THEN both tables equal the scores, the other shop's untouched", async () => {
    await seedScores(SHOP);
    await seedScores(OTHER);
    await expectFollowed();

    const update = (set: string, where: string) =>
      db.$executeRawUnsafe(`UPDATE "CustomerScore" SET ${set} WHERE shop = $1 AND ${where}`, SHOP);
    // A prediction behaviour added, sort keys as they were (what applyPredictions writes).
    await update(
      `behaviours = behaviours || ARRAY['likely_to_churn'], "behaviourSince" = "behaviourSince" || date '2026-02-01'`,
      `"customerId" % 3 = 0`,
    );
    await expectFollowed();
    // One dropped, one kept.
    await update(
      `behaviours = array_remove(behaviours, 'vip_top_5'), "behaviourSince" = "behaviourSince"[1:cardinality(array_remove(behaviours, 'vip_top_5'))]`,
      `"customerId" % 5 = 0`,
    );
    await expectFollowed();
    // Sort keys moved, behaviours as they were; then moved with a behaviour change in the same statement.
    await update(`monetary = monetary + 1, frequency = frequency + 1`, `"customerId" % 7 = 0`);
    await expectFollowed();
    await update(
      `"lastOrderDate" = "lastOrderDate" + 3, behaviours = behaviours || ARRAY['rising_star'], "behaviourSince" = "behaviourSince" || date '2026-02-01'`,
      `"customerId" % 11 < 4`,
    );
    await expectFollowed();
    // Values moved so that some counts empty (every customer of a value moves off it).
    await update(`monetary = 99999`, `monetary = 21`);
    await expectFollowed();
    // Nothing a trigger follows changes.
    await update(`"pAliveBand" = 'high'`, `true`);
    await expectFollowed();
    // One customer removed, then a slice of them.
    await db.$executeRawUnsafe(`DELETE FROM "CustomerScore" WHERE shop = $1 AND "customerId" = 2`, SHOP);
    await expectFollowed();
    await db.$executeRawUnsafe(`DELETE FROM "CustomerScore" WHERE shop = $1 AND "customerId" > 400`, SHOP);
    await expectFollowed();
    expect((await membersOf(SHOP)).length).toBeGreaterThan(100);
  });
});
