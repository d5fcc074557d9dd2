import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import {
  aggregateContext,
  recomputeAggregates,
  recomputeShopAggregates,
} from "../../app/pipeline/aggregate/aggregates.server";
import { runFullScoring } from "../../app/pipeline/score/scoring.server";
import { saveRfmSettings } from "../../app/settings/settings.server";
import { signalMaskWithin } from "../../app/domain/engagement";
import { historyOf, latestRunOf, scoresOf, seedTwinOrders, type Row } from "./scoring-rows";

/**
 * A daily run scores only the customers whose result can have changed since the last full run (changed
 * aggregates, values that crossed a moved boundary, recency that crossed a cut-off as days passed, date-driven
 * behaviours). Twin shops with the same orders and the same changes, one scored that way and one scoring every
 * customer, must end with the same scores, behaviours, history and dashboard summary, customer by customer.
 */

const db = createDb(process.env.DATABASE_URL as string, 2);
const DAILY = "daily-scope.myshopify.com";
const WHOLE = "daily-whole.myshopify.com";
const TZ = "America/New_York";
const CUSTOMERS = 500;

async function seedShop(shop: string) {
  await db.shop.create({ data: { shop, ianaTimezone: TZ } });
  await saveRfmSettings(db, shop, { stabilityRuns: 2, behaviours: { lostEngagedVisitDays: 20 } });
  await seedTwinOrders(db, shop, CUSTOMERS, 400);
  // Refunds after the last order of some customers (dissatisfied once their gap has passed).
  await db.$executeRawUnsafe(
    `INSERT INTO "Refund" (shop, id, "orderId", "createdAt", amount)
     SELECT $1, o.id, o.id, o."processedAt" + interval '2 days', 1 FROM "Order" o WHERE o.shop = $1 AND o.id % 13 = 0`,
    shop,
  );
  // Visits: some inside the lost-engaged window now, leaving it as the days pass.
  await db.$executeRawUnsafe(
    `INSERT INTO "CustomerEngagement" (shop, "customerId", "lastVisitAt", "updatedAt")
     SELECT $1, g, timestamptz '2026-11-20 10:00:00Z' - (g % 30) * interval '1 day', now() FROM generate_series(1, $2, 7) g`,
    shop,
    CUSTOMERS,
  );
  await recomputeShopAggregates(db, shop);
}

/** The same day's changes in both shops: new orders (one from a new customer), a cancellation, a customer gone. */
async function changeShop(shop: string, day: string, seed: number) {
  await db.$executeRawUnsafe(
    `INSERT INTO "Order" (shop, id, "customerId", "createdAt", "processedAt", "shopifyUpdatedAt", currency, "totalPrice", "currentTotalPrice", "totalRefunded", "discountCodes")
     SELECT $1, 100000 + $3 * 100 + g, CASE WHEN g = 1 THEN 5000 + $3 ELSE (g * $3 * 37) % $2 + 1 END,
            t, t, t, 'USD', a, a, 0, '{}'::text[]
     FROM (SELECT g, ($4::date + time '15:00') AT TIME ZONE 'America/New_York' AS t, (40 + g * 13 % 500)::numeric(18, 2) AS a
           FROM generate_series(1, 25) g) x`,
    shop,
    CUSTOMERS,
    seed,
    day,
  );
  const cancelled = BigInt(seed * 3 + 100);
  const gone = BigInt(seed * 5 + 200);
  await db.$executeRawUnsafe(
    `UPDATE "Order" SET "cancelledAt" = now() WHERE shop = $1 AND "customerId" = $2`,
    shop,
    cancelled,
  );
  await db.$executeRawUnsafe(
    `UPDATE "Order" SET "cancelledAt" = now() WHERE shop = $1 AND "customerId" = $2`,
    shop,
    gone,
  );
  const changed = await db.$queryRawUnsafe<{ id: bigint }[]>(
    `SELECT DISTINCT "customerId" AS id FROM "Order" WHERE shop = $1 AND (id > 100000 + $2 * 100 AND id <= 100000 + $2 * 100 + 25 OR "customerId" IN ($3, $4))`,
    shop,
    seed,
    cancelled,
    gone,
  );
  // Shopify's engagement sync replaces every customer's windowed signals (no dates): some Lost customers turn
  // Lost-but-engaged, yesterday's lose it — with no change to their aggregates.
  await db.$executeRawUnsafe(`DELETE FROM "CustomerEngagementSignal" WHERE shop = $1`, shop);
  await db.$executeRawUnsafe(
    `INSERT INTO "CustomerEngagementSignal" (shop, "customerId", signals, "syncId")
     SELECT $1, g, $3::int, $2::bigint FROM generate_series(1, $4::int) g WHERE (g + $2::int) % 11 = 0`,
    shop,
    seed,
    signalMaskWithin("click", 180),
    CUSTOMERS,
  );
  const ctx = await aggregateContext(db, shop);
  await recomputeAggregates(
    db,
    shop,
    changed.map((c) => c.id),
    ctx,
  );
}

const storedCountsOf = async (shop: string) =>
  db.$queryRawUnsafe<Row[]>(
    `SELECT dim, v::text, customers::int FROM "ScoreValueCount" WHERE shop = $1 ORDER BY 1, v`,
    shop,
  );
const groupedCountsOf = async (shop: string) =>
  db.$queryRawUnsafe<Row[]>(
    `SELECT dim, v::text, count(*)::int AS customers FROM (
       SELECT 'r' AS dim, ("lastOrderDate" - date '1970-01-01')::numeric AS v FROM "CustomerScore" WHERE shop = $1
       UNION ALL SELECT 'f', frequency FROM "CustomerScore" WHERE shop = $1
       UNION ALL SELECT 'm', monetary FROM "CustomerScore" WHERE shop = $1) x
     GROUP BY 1, 2, v ORDER BY 1, v`,
    shop,
  );

async function runDay(day: string) {
  // One after the other: on PGlite (one connection) the second would wait for the first's transaction.
  const daily = await runFullScoring(db, DAILY, { asOf: day });
  const whole = await runFullScoring(db, WHOLE, { asOf: day, scoreEveryone: true });
  const [a, b] = await Promise.all([scoresOf(db, DAILY), scoresOf(db, WHOLE)]);
  const aggregates = await db.customerAggregate.count({ where: { shop: DAILY } });
  expect(a.length).toBe(aggregates);
  expect(whole.customers).toBe(aggregates);
  expect(a).toEqual(b);
  expect(await historyOf(db, DAILY)).toEqual(await historyOf(db, WHOLE));
  const [ra, rb] = await Promise.all([latestRunOf(db, DAILY), latestRunOf(db, WHOLE)]);
  expect(ra.run).toEqual(rb.run);
  expect(rb.scope).toEqual({ kind: "all", customers: whole.customers, histogram: "aggregates" });
  // Scores' histogram: the stored counts follow every write, equal to grouping the stored scores.
  for (const shop of [DAILY, WHOLE]) expect(await storedCountsOf(shop)).toEqual(await groupedCountsOf(shop));
  expect({ written: daily.written, removed: daily.removed, changed: daily.changedSegment }).toEqual({
    written: whole.written,
    removed: whole.removed,
    changed: whole.changedSegment,
  });
  return { ...ra.scope, everyone: aggregates };
}

beforeAll(async () => {
  await seedShop(DAILY);
  await seedShop(WHOLE);
}, 120_000);

afterAll(async () => {
  await db.$disconnect();
});

describe("a daily run scores only what changed", () => {
  it("GIVEN twin shops, new orders, a cancellation, a customer gone and days passing THEN scoring the changed scope equals scoring everyone, customer by customer", async () => {
    // The first run scores everyone in both.
    expect((await runDay("2026-11-20")).kind).toBe("all");
    const days: [string, number][] = [
      ["2026-11-21", 1],
      ["2026-11-22", 2],
      ["2026-12-03", 3],
      ["2027-01-15", 4],
    ];
    for (const [day, seed] of days) {
      await changeShop(DAILY, day, seed);
      await changeShop(WHOLE, day, seed);
      const scope = await runDay(day);
      expect(scope.kind).toBe("changed");
      // Ranked from the stored counts and the day's changes (a customer gone included), not every aggregate.
      expect(scope.histogram).toBe("counts");
      expect(scope.customers).toBeLessThan(scope.everyone);
    }
    // A quiet day: the day's shift alone.
    const quiet = await runDay("2027-01-16");
    expect(quiet.kind).toBe("changed");
    expect(quiet.histogram).toBe("counts");
    expect(quiet.customers).toBeLessThan(quiet.everyone / 2);
  }, 180_000);
});
