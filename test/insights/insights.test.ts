import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { recomputeShopAggregates } from "../../app/pipeline/aggregate/aggregates.server";
import { runFullScoring } from "../../app/pipeline/score/scoring.server";
import { latestInsights, runInsights } from "../../app/pipeline/insights/insights.server";
import { MIN_SUPPORT, RANKED_LIST_LENGTH } from "../../app/domain/insights/first-products";
import { formatCents, ShopDataset, type GeneratedOrder } from "../emulator/generator";
import { buyersOf, oracleCohorts, oracleCoupons, oracleFirstProducts } from "./oracle";

/**
 * The rfm.insights job's stored summaries against the oracle (test/insights/oracle.ts, which imports nothing from
 * app/), both from the same generated shop: first products and vendors (support ≥ 30, Wilson 95 %), coupon cohorts
 * and monthly cohorts.
 */

const db = createDb(process.env.DATABASE_URL as string, 4);
const SHOP = "insights-oracle.myshopify.com";
const TZ = "Europe/Amsterdam";
const AS_OF = "2026-11-20";
const dataset = new ShopDataset({
  seed: 18,
  customers: 3_000,
  orders: 9_000,
  from: "2023-01-01",
  to: AS_OF,
  currency: "EUR",
});
const orders: GeneratedOrder[] = [...dataset.orders()];

/** Every number to 9 decimals, so float noise in the last bits does not count as a difference. */
function rounded(value: unknown): unknown {
  if (typeof value === "number") return Math.round(value * 1e9) / 1e9;
  if (Array.isArray(value)) return value.map(rounded);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]));
  return value;
}

function withoutSegments<T extends { segments?: unknown }>(group: T) {
  const { segments: _segments, ...rest } = group;
  return rest;
}

let segments = new Map<number, string>();

beforeAll(async () => {
  await db.shop.create({ data: { shop: SHOP, name: SHOP, currencyCode: "EUR", ianaTimezone: TZ } });
  await db.order.createMany({
    data: orders.map((o) => ({
      shop: SHOP,
      id: BigInt(o.id),
      customerId: o.customerId === null ? null : BigInt(o.customerId),
      name: o.name,
      createdAt: o.createdAt,
      processedAt: o.processedAt,
      shopifyUpdatedAt: o.updatedAt,
      cancelledAt: o.cancelledAt,
      test: o.test,
      currency: o.shopCurrency,
      totalPrice: formatCents(o.totalCents),
      currentTotalPrice: formatCents(o.currentTotalCents),
      totalRefunded: formatCents(o.totalRefundedCents),
      discountCodes: o.discountCodes,
    })),
  });
  await db.orderLine.createMany({
    data: orders.flatMap((o) =>
      o.lineItems.map((li) => ({
        shop: SHOP,
        orderId: BigInt(o.id),
        id: BigInt(li.id),
        productId: BigInt(li.productId),
        vendor: li.vendor,
        quantity: li.quantity,
        amount: formatCents(li.amountCents),
      })),
    ),
  });
  await db.refund.createMany({
    data: orders.flatMap((o) =>
      o.refunds.map((r) => ({
        shop: SHOP,
        id: BigInt(r.id),
        orderId: BigInt(o.id),
        createdAt: r.createdAt,
        amount: formatCents(r.amountCents),
      })),
    ),
  });
  await recomputeShopAggregates(db, SHOP, new Date(`${AS_OF}T23:00:00Z`));
  await runFullScoring(db, SHOP, { asOf: AS_OF });
  const outcome = await runInsights(db, SHOP);
  expect(outcome).not.toBeNull();
  const scores = await db.customerScore.findMany({
    where: { shop: SHOP },
    select: { customerId: true, segment: true },
  });
  segments = new Map(scores.map((s) => [Number(s.customerId), s.segment]));
}, 120_000);

afterAll(async () => {
  await db.$disconnect();
});

describe("insights against the oracle", () => {
  it("GIVEN a generated shop WHEN rfm.insights runs THEN first products and vendors match the oracle, with support ≥ 30 and Wilson bounds", async () => {
    const stored = await latestInsights(db, SHOP);
    if (!stored) throw new Error("no insights stored");
    const expected = oracleFirstProducts(buyersOf(orders, segments), MIN_SUPPORT, RANKED_LIST_LENGTH);
    const { firstProducts } = stored;
    expect(firstProducts.minSupport).toBe(30);
    expect(rounded(firstProducts.shop)).toEqual(rounded(withoutSegments(expected.shop)));
    for (const dim of ["products", "vendors"] as const) {
      expect(rounded(firstProducts[dim].groups)).toEqual(rounded(expected[dim].groups.map(withoutSegments)));
      expect(firstProducts[dim].belowSupport).toBe(expected[dim].belowSupport);
      expect(firstProducts[dim].makesLoyal).toEqual(expected[dim].makesLoyal);
      expect(firstProducts[dim].noReturn).toEqual(expected[dim].noReturn);
    }
    // The data must exercise the rules: ranked products, some left out for support, every vendor in.
    expect(firstProducts.products.groups.length).toBeGreaterThan(10);
    expect(firstProducts.products.makesLoyal).toHaveLength(RANKED_LIST_LENGTH);
    expect(firstProducts.vendors.groups).toHaveLength(5);
    // Buyers whose only orders are test or cancelled ones are not customers here.
    const buyers = new Set(orders.flatMap((o) => (o.customerId ? [o.customerId] : []))).size;
    expect(firstProducts.shop.customers).toBeLessThan(buyers);
    expect(firstProducts.shop.customers).toBeGreaterThan(buyers * 0.95);
  });

  it("GIVEN a generated shop WHEN rfm.insights runs THEN coupon-acquired vs full-price and the second-code cohorts match the oracle", async () => {
    const stored = await latestInsights(db, SHOP);
    if (!stored) throw new Error("no insights stored");
    const expected = oracleCoupons(buyersOf(orders, segments));
    expect(rounded(stored.couponCohorts)).toEqual(rounded(expected));
    expect(stored.couponCohorts.firstOrder.coupon.customers).toBeGreaterThan(100);
    expect(stored.couponCohorts.secondOrder.coupon.customers).toBeGreaterThan(10);
  });

  it("GIVEN a generated shop WHEN rfm.insights runs THEN each monthly cohort's cumulative spend, repeat rate and segment mix match the oracle", async () => {
    const stored = await latestInsights(db, SHOP);
    if (!stored) throw new Error("no insights stored");
    const expected = oracleCohorts(buyersOf(orders, segments), TZ, "2026-11");
    expect(rounded(stored.cohorts)).toEqual(rounded(expected));
    expect(stored.cohorts.cohorts.length).toBeGreaterThan(40);
    // The first cohort reaches the run's month; the last has one column.
    expect(stored.cohorts.cohorts.at(-1)?.cells).toHaveLength(1);
  });
});
