import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { computePersonaCounts } from "../../app/pipeline/score/personas.server";
import { recomputeShopAggregates } from "../../app/pipeline/aggregate/aggregates.server";
import { latestFullRun, runFullScoring } from "../../app/pipeline/score/scoring.server";
import { PersonaCounts } from "../../app/domain/personas";
import { expectedPersona, type OracleInputs } from "../support/personas-oracle";

/**
 * The per-run persona counts against the oracle, from raw rows: customers with and without orders, pixel
 * engagement and Shopify's signal bits, each recomputed here by the rules as written in the issue (engaged in 30 /
 * 180 days; bought once / repeatedly; last order in 180 days; average order value against the shop's).
 */

const SHOP = "persona-counts.myshopify.com";
const BARE = "persona-bare.myshopify.com";
const AS_OF = "2026-12-01";
const AS_OF_MS = Date.parse(`${AS_OF}T00:00:00Z`);
const DAY = 86_400_000;
const db = createDb(process.env.DATABASE_URL as string, 2);

interface Seeded {
  id: bigint;
  orders: number;
  lastOrderDaysAgo: number;
  aov: number;
  visitDaysAgo: number | null;
  signals: number;
}

let seed = 7;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

const customers: Seeded[] = Array.from({ length: 600 }, (_, i) => ({
  id: BigInt(1000 + i),
  orders: pick([0, 0, 1, 1, 2, 5]),
  // Either side of the 180-day purchase line, and on it.
  lastOrderDaysAgo: pick([3, 100, 179, 180, 181, 400]),
  aov: pick([10, 25, 40, 55, 90, 200]),
  // Either side of the 30- and 180-day engagement lines.
  visitDaysAgo: pick([null, null, 1, 29, 30, 31, 150, 180, 181, 300]),
  signals: pick([0, 0, 0, 1, 2, 4, 8, 16, 6, 24, 31]),
}));

function oracleInputs(c: Seeded, line: number): OracleInputs {
  const visitAt = c.visitDaysAgo === null ? null : AS_OF_MS - c.visitDaysAgo * DAY;
  const engagement =
    (c.signals & (1 | 8)) !== 0 || (visitAt !== null && visitAt >= AS_OF_MS - 30 * DAY)
      ? "recent"
      : c.signals !== 0 || (visitAt !== null && visitAt >= AS_OF_MS - 180 * DAY)
        ? "lapsed"
        : "none";
  return {
    engagement,
    purchases: c.orders === 0 ? "never" : c.orders === 1 ? "once" : "repeat",
    recency: AS_OF_MS - c.lastOrderDaysAgo * DAY >= AS_OF_MS - 180 * DAY ? "recent" : "lapsed",
    value: c.aov >= line ? "high" : "low",
  };
}

beforeAll(async () => {
  await db.customer.createMany({
    data: [
      ...customers.map((c) => ({ shop: SHOP, id: c.id, tags: [], shopifyUpdatedAt: new Date(AS_OF_MS) })),
      { shop: BARE, id: 1n, tags: [], shopifyUpdatedAt: new Date(AS_OF_MS) },
      // A deleted customer counts nowhere.
      { shop: SHOP, id: 99_999n, tags: [], shopifyUpdatedAt: new Date(AS_OF_MS), deletedAt: new Date(AS_OF_MS) },
    ],
  });
  const agg = (shop: string, customerId: bigint, orders: number, daysAgo: number, aov: number) => {
    const at = new Date(AS_OF_MS - daysAgo * DAY);
    return {
      shop,
      customerId,
      firstOrderAt: at,
      lastOrderAt: at,
      orderCount: orders,
      grossSpend: String(orders * aov),
      netSpend: String(orders * aov),
      avgOrderValue: String(aov),
      refundCount: 0,
      refundAmount: "0",
      discountOrderCount: 0,
      firstOrderDiscounted: false,
      orders365: orders,
      gross365: String(orders * aov),
      net365: String(orders * aov),
      windowEnd: new Date(AS_OF_MS),
    };
  };
  await db.customerAggregate.createMany({
    data: [
      ...customers.filter((c) => c.orders > 0).map((c) => agg(SHOP, c.id, c.orders, c.lastOrderDaysAgo, c.aov)),
      agg(BARE, 1n, 2, 10, 50),
    ],
  });
  await db.customerEngagement.createMany({
    data: customers
      .filter((c) => c.visitDaysAgo !== null)
      .map((c) => ({
        shop: SHOP,
        customerId: c.id,
        lastVisitAt: new Date(AS_OF_MS - (c.visitDaysAgo ?? 0) * DAY),
      })),
  });
  await db.customerEngagementSignal.createMany({
    data: customers
      .filter((c) => c.signals > 0)
      .map((c) => ({ shop: SHOP, customerId: c.id, signals: c.signals, syncId: 1n })),
  });
}, 60_000);

afterAll(async () => {
  await db.$disconnect();
});

describe("persona counts per run", () => {
  it("GIVEN customers with every kind of history THEN the counts are the oracle's, the line the shop's AOV", async () => {
    const result = await db.$transaction((tx) => computePersonaCounts(tx, SHOP, AS_OF));
    const buyers = customers.filter((c) => c.orders > 0);
    const line =
      Math.round((buyers.reduce((s, c) => s + c.orders * c.aov, 0) / buyers.reduce((s, c) => s + c.orders, 0)) * 100) /
      100;
    expect(result.highValueLine).toBe(line.toFixed(2));
    const expected = new Map<string, number>();
    for (const c of customers) {
      const p = expectedPersona(oracleInputs(c, line));
      expected.set(p, (expected.get(p) ?? 0) + 1);
    }
    expect(result.hasEngagement).toBe(true);
    for (const [persona, n] of Object.entries(result.counts))
      expect([persona, n]).toEqual([persona, expected.get(persona) ?? 0]);
    expect(Object.values(result.counts).reduce((a, b) => a + b, 0)).toBe(customers.length);
  });

  it("GIVEN orders WHEN a full run scores the shop THEN it stores the persona counts with the shop's AOV as the line", async () => {
    const RUN = "persona-run.myshopify.com";
    await db.shop.create({ data: { shop: RUN, ianaTimezone: "Europe/Amsterdam", currencyCode: "EUR" } });
    const totals = ["20.00", "40.00", "90.00", "30.00"];
    await db.order.createMany({
      data: totals.map((total, i) => {
        const at = new Date(AS_OF_MS - (10 + i * 50) * DAY);
        return {
          shop: RUN,
          id: BigInt(i + 1),
          customerId: BigInt(i < 2 ? 1 : i + 1),
          createdAt: at,
          processedAt: at,
          shopifyUpdatedAt: at,
          currency: "EUR",
          totalPrice: total,
          currentTotalPrice: total,
          totalRefunded: "0",
          discountCodes: [],
        };
      }),
    });
    await db.customer.createMany({
      data: [1n, 3n, 4n, 77n].map((id) => ({ shop: RUN, id, tags: [], shopifyUpdatedAt: new Date(AS_OF_MS) })),
    });
    await recomputeShopAggregates(db, RUN, new Date(AS_OF_MS));
    await runFullScoring(db, RUN, { asOf: AS_OF });
    const run = await latestFullRun(db, RUN);
    const personas = PersonaCounts.parse(run?.personas);
    // 180.00 over 4 orders.
    expect(personas.highValueLine).toBe("45.00");
    expect(personas.hasEngagement).toBe(false);
    // Three buyers and one account that never ordered.
    expect(Object.values(personas.counts).reduce((a, b) => a + b, 0)).toBe(4);
    expect(personas.counts.dead_weight).toBe(1);
  }, 120_000);

  it("GIVEN a shop with no engagement data THEN the run says so", async () => {
    const result = await db.$transaction((tx) => computePersonaCounts(tx, BARE, AS_OF));
    expect(result.hasEngagement).toBe(false);
    expect(result.highValueLine).toBe("50.00");
  });
});
