import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { recomputeShopAggregates } from "../../app/pipeline/aggregate/aggregates.server";
import { runFullScoring } from "../../app/pipeline/score/scoring.server";
import { saveRfmSettings } from "../../app/settings/settings.server";
import {
  behavioursOf,
  isBrandLoyal,
  launchDayOrdersOf,
  launchDaysOf,
  refinedSegment,
  vipMinSpendOf,
  type BehaviourOrder,
  type Engagement,
} from "../../app/domain/rfm/behaviour-rules";
import { countsForRfm, type CountableOrder } from "../../app/domain/orders";
import { formatMoney, parseMoney, type Money } from "../../app/domain/money";
import { epochDay, isoDay, localDate } from "../../app/domain/rfm/dates";
import { segmentLookup, type SegmentKey } from "../../app/domain/rfm/segments";
import { rulesOf, type RfmSettings } from "../../app/domain/rfm/settings";
import { DEFAULT_PEAK_SEASONS, peakRanges } from "../../app/domain/peak-seasons";
import { Random } from "../emulator/random";

/**
 * The behavioural segments and "which orders count" exist twice: as pure
 * rules in app/domain (behavioursOf, refinedSegment, countsForRfm) and
 * set-wise in the scoring and aggregate SQL. Generated customers, plus one
 * customer on each side of every threshold, go through both; membership
 * must not differ for a single customer.
 */

const db = createDb(process.env.DATABASE_URL as string, 4);
const SHOP = "behaviour-rules.myshopify.com";
const COUNT_SHOP = "counted-orders.myshopify.com";
// Evenings in New York are the next day in UTC: local dates differ from UTC dates.
const TZ = "America/New_York";
const AS_OF = "2026-11-20";
const AS_OF_DAY = epochDay(AS_OF);
const AS_OF_MS = Date.parse(`${AS_OF}T00:00:00Z`);
const DAY_MS = 86_400_000;
const GENERATED = 10_000;

interface GenOrder {
  id: bigint;
  at: Date;
  test: boolean;
  cancelled: boolean;
  deleted: boolean;
  codes: string[];
  vendors: (string | null)[];
}

interface GenCustomer {
  id: bigint;
  lastOrderAt: Date;
  orderCount: number;
  netSpend: Money;
  firstOrderPeak: string | null;
  firstOrderDiscounted: boolean;
  lastRefundAt: Date | null;
  avgGap: number | null;
  orders: GenOrder[];
  engagement: Engagement | null;
}

const customers: GenCustomer[] = [];

/** The part of a run's stored stats this test reads. */
const RunStatsPart = z.object({
  launchDays: z.array(z.string()),
  vipMinSpend: z.record(z.string(), z.string().nullable()),
});
let nextOrderId = 1n;

const dayAt = (daysAgo: number, hourUtc = 12) => new Date(AS_OF_MS - daysAgo * DAY_MS + hourUtc * 3_600_000);
const peakStarts = [
  ...new Set(peakRanges(DEFAULT_PEAK_SEASONS, 1995, new Date().getUTCFullYear() + 1).map((r) => r.start)),
];
const recentPeakStarts = peakStarts.filter((d) => d <= AS_OF && d >= "2023-01-01");

function order(at: Date, over: Partial<GenOrder> = {}): GenOrder {
  return {
    id: nextOrderId++,
    at,
    test: false,
    cancelled: false,
    deleted: false,
    codes: [],
    vendors: ["Acme"],
    ...over,
  };
}

function customer(over: Partial<GenCustomer> & { daysAgo?: number }): GenCustomer {
  const { daysAgo = 10, ...rest } = over;
  const c: GenCustomer = {
    id: BigInt(customers.length + 1),
    lastOrderAt: dayAt(daysAgo),
    orderCount: 1,
    netSpend: parseMoney("50"),
    firstOrderPeak: null,
    firstOrderDiscounted: false,
    lastRefundAt: null,
    avgGap: null,
    orders: [],
    engagement: null,
    ...rest,
  };
  customers.push(c);
  return c;
}

/** An order time near a local midnight: the UTC hour moves it across the New York day boundary. */
function nearMidnight(rng: Random, localDay: string): Date {
  const hours = [-2, 3, 4.5, 5.5, 12, 27];
  return new Date(Date.parse(`${localDay}T00:00:00Z`) + (hours[rng.int(0, hours.length - 1)] as number) * 3_600_000);
}

function generate(rng: Random) {
  const codePool = ["SUMMER", "summer", "Winter", "WINTER10", "ONEOFF"];
  for (let i = 0; i < GENERATED; i++) {
    // Spend in whole €5 steps: ties at every VIP cut-off.
    const spend = BigInt(Math.floor(rng.next() ** 3 * 400) * 5) * 10_000n;
    const orderCount = rng.next() < 0.55 ? 1 : rng.int(2, 12);
    const daysAgo = rng.next() < 0.02 ? -rng.int(1, 3) : rng.int(0, 1200);
    const lastOrderAt = dayAt(daysAgo, rng.int(0, 23));
    const refund = rng.next();
    const c = customer({
      lastOrderAt,
      orderCount,
      netSpend: rng.next() < 0.03 ? 0n : rng.next() < 0.01 ? -spend : spend,
      firstOrderPeak: rng.next() < 0.15 ? "black_friday" : null,
      firstOrderDiscounted: rng.next() < 0.2,
      lastRefundAt:
        refund < 0.6
          ? null
          : refund < 0.7
            ? lastOrderAt
            : refund < 0.8
              ? new Date(lastOrderAt.getTime() - 1)
              : new Date(lastOrderAt.getTime() + rng.int(0, 30) * DAY_MS),
      avgGap: orderCount > 1 ? rng.int(5, 200) + (rng.next() < 0.2 ? 0.5 : 0) : null,
      engagement:
        rng.next() < 0.3
          ? {
              lastVisitAt: rng.next() < 0.7 ? new Date(AS_OF_MS - rng.int(0, 400 * 24) * 3_600_000) : null,
              lastEmailClickAt: rng.next() < 0.5 ? new Date(AS_OF_MS - rng.int(0, 400 * 24) * 3_600_000) : null,
            }
          : null,
    });
    const stored = rng.int(0, 3);
    for (let k = 0; k < stored; k++) {
      const onLaunch = rng.next() < 0.4 && recentPeakStarts.length > 0;
      const localDay = onLaunch
        ? (recentPeakStarts[rng.int(0, recentPeakStarts.length - 1)] as string)
        : isoDay(AS_OF_DAY - rng.int(0, 1000));
      const flags = rng.next();
      c.orders.push(
        order(nearMidnight(rng, localDay), {
          test: flags < 0.03,
          cancelled: flags >= 0.03 && flags < 0.06,
          deleted: flags >= 0.06 && flags < 0.08,
          codes: rng.next() < 0.1 ? [codePool[rng.int(0, codePool.length - 1)] as string] : [],
          vendors:
            rng.next() < 0.85 ? ["Acme", "Other"].slice(0, rng.int(1, 2)) : rng.next() < 0.5 ? ["Other"] : [null],
        }),
      );
    }
  }
}

/** Customers exactly at, one below and one above every threshold the two settings variants use. */
function boundaries(rng: Random, medianGap: number) {
  // High value at risk: spend around 500 (variant B) and days around 90 (variant A) and 120 (variant B).
  for (const spend of ["499.9999", "500", "500.0001"])
    for (const days of [89, 90, 91, 119, 120, 121])
      customer({ netSpend: parseMoney(spend), daysAgo: days, orderCount: 3, avgGap: 400 });
  // Dissatisfied: own gap 30 and the shop's median, each with days one below, at and one above.
  for (const gap of [30, 30.5, null])
    for (const delta of [-1, 0, 1]) {
      const days = Math.floor(gap ?? medianGap) + delta;
      for (const refundedAt of ["same", "before", "after"] as const) {
        const lastOrderAt = dayAt(days);
        customer({
          lastOrderAt,
          orderCount: gap === null ? 1 : 4,
          avgGap: gap,
          lastRefundAt:
            refundedAt === "same"
              ? lastOrderAt
              : refundedAt === "before"
                ? new Date(lastOrderAt.getTime() - 1)
                : new Date(lastOrderAt.getTime() + 1),
        });
      }
    }
  // First-time seasonal: one order or two, peak or none.
  for (const orderCount of [1, 2])
    for (const peak of ["christmas", null]) customer({ orderCount, firstOrderPeak: peak });
  // Sale shopper: 1–4 counted orders on a launch day (min 2 in A, 3 in B), one on the local day before.
  const launch = recentPeakStarts[recentPeakStarts.length - 1] ?? AS_OF;
  for (const onLaunch of [1, 2, 3, 4]) {
    const c = customer({ orderCount: onLaunch + 1 });
    for (let k = 0; k < onLaunch; k++) c.orders.push(order(new Date(`${launch}T05:30:00Z`)));
    // 23:30 in New York on the day before: UTC is already the launch day.
    c.orders.push(order(new Date(`${launch}T04:30:00Z`)));
    // An uncounted order on the launch day never counts.
    c.orders.push(order(new Date(`${launch}T15:00:00Z`), { cancelled: true }));
  }
  // Launch days from discount codes: three counted uses make a launch day, two plus a cancelled one do not.
  const trioDay = isoDay(AS_OF_DAY - 200);
  const duoDay = isoDay(AS_OF_DAY - 300);
  for (let k = 0; k < 3; k++) {
    const c = customer({ orderCount: 2 });
    c.orders.push(order(new Date(`${trioDay}T16:00:00Z`), { codes: [k === 0 ? "Trio" : "TRIO"] }));
    c.orders.push(order(new Date(`${trioDay}T18:00:00Z`)));
    const d = customer({ orderCount: 2 });
    d.orders.push(order(new Date(`${duoDay}T16:00:00Z`), { codes: ["DUO"], cancelled: k === 2 }));
    d.orders.push(order(new Date(`${duoDay}T18:00:00Z`)));
  }
  // Brand loyal: every counted order from Acme, one without, an uncounted one without, a null vendor.
  for (const other of [[], [["Other"]], [[null]], [["Other", "Acme"]]] as (string | null)[][][]) {
    const c = customer({ orderCount: 2 });
    c.orders.push(order(dayAt(40), { vendors: ["Acme"] }));
    for (const vendors of other) c.orders.push(order(dayAt(20), { vendors }));
    c.orders.push(order(dayAt(30), { vendors: ["Other"], test: true }));
  }
  // Lost but engaged: long gone, visits and clicks a millisecond either side of each window's start.
  for (const windowDays of [30, 60, 90, 180])
    for (const delta of [-1, 0, 1]) {
      const at = new Date(AS_OF_MS - windowDays * DAY_MS + delta);
      customer({
        daysAgo: 1100 + rng.int(0, 50),
        netSpend: parseMoney("5"),
        engagement: { lastVisitAt: at, lastEmailClickAt: null },
      });
      customer({
        daysAgo: 1100 + rng.int(0, 50),
        netSpend: parseMoney("5"),
        engagement: { lastVisitAt: null, lastEmailClickAt: at },
      });
    }
  // Lost but engaged from Shopify's windowed signals alone: every combination of the five signal bits.
  for (let mask = 0; mask < 32; mask++)
    customer({
      daysAgo: 1100 + rng.int(0, 50),
      netSpend: parseMoney("5"),
      engagement: { lastVisitAt: null, lastEmailClickAt: null, shopifySignals: mask },
    });
  // The VIP cut-offs: more customers on the spend at each cut-off (ties), one cent either side.
  const vip = vipMinSpendOf(customers.map((c) => c.netSpend));
  for (const min of [vip.vip_top_1, vip.vip_top_5, vip.vip_top_20])
    if (min !== null)
      for (const spend of [min - 100n, min, min, min + 100n]) customer({ netSpend: spend, daysAgo: rng.int(0, 400) });
  // High value at risk on its default spend (above the top-5 % minimum, wherever the ties move it), days either side of 90.
  if (vip.vip_top_5 !== null)
    for (const days of [89, 90, 91])
      customer({ netSpend: vip.vip_top_5 + 1_000_000n, daysAgo: days, orderCount: 3, avgGap: 400 });
}

/** percentile_cont(0.5): the median, interpolated between the middle two. */
function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) / 2;
  const lo = sorted[Math.floor(pos)] as number;
  const hi = sorted[Math.ceil(pos)] as number;
  return lo + (hi - lo) * (pos - Math.floor(pos));
}

async function insertInChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += 5000) await write(rows.slice(i, i + 5000));
}

async function store(shop: string, list: GenCustomer[]) {
  const orders = list.flatMap((c) => c.orders.map((o) => ({ c, o })));
  await insertInChunks(
    list.map((c) => ({
      shop,
      customerId: c.id,
      firstOrderAt: new Date(c.lastOrderAt.getTime() - (c.orderCount - 1) * DAY_MS),
      lastOrderAt: c.lastOrderAt,
      orderCount: c.orderCount,
      grossSpend: formatMoney(c.netSpend),
      netSpend: formatMoney(c.netSpend),
      avgOrderValue: formatMoney(c.netSpend / BigInt(c.orderCount)),
      refundCount: c.lastRefundAt ? 1 : 0,
      refundAmount: "0",
      lastRefundAt: c.lastRefundAt,
      discountOrderCount: c.firstOrderDiscounted ? 1 : 0,
      firstOrderDiscounted: c.firstOrderDiscounted,
      firstOrderPeak: c.firstOrderPeak,
      avgDaysBetweenOrders: c.avgGap,
      orders365: 0,
      gross365: "0",
      net365: "0",
      windowEnd: new Date(AS_OF_MS),
    })),
    (data) => db.customerAggregate.createMany({ data }),
  );
  await insertInChunks(orders, (chunk) =>
    db.order.createMany({
      data: chunk.map(({ c, o }) => ({
        shop,
        id: o.id,
        customerId: c.id,
        createdAt: o.at,
        processedAt: o.at,
        shopifyUpdatedAt: o.at,
        cancelledAt: o.cancelled ? o.at : null,
        deletedAt: o.deleted ? o.at : null,
        test: o.test,
        currency: "USD",
        totalPrice: "10.00",
        currentTotalPrice: "10.00",
        totalRefunded: "0",
        discountCodes: o.codes,
      })),
    }),
  );
  const lines = orders.flatMap(({ o }) => o.vendors.map((vendor, i) => ({ o, vendor, i })));
  await insertInChunks(lines, (chunk) =>
    db.orderLine.createMany({
      data: chunk.map(({ o, vendor, i }) => ({
        shop,
        orderId: o.id,
        id: o.id * 10n + BigInt(i),
        vendor,
        quantity: 1,
        amount: "10.00",
      })),
    }),
  );
  const signalled = list.filter((c) => (c.engagement?.shopifySignals ?? 0) > 0);
  await insertInChunks(signalled, (chunk) =>
    db.customerEngagementSignal.createMany({
      data: chunk.map((c) => ({ shop, customerId: c.id, signals: c.engagement?.shopifySignals ?? 0, syncId: 1n })),
    }),
  );
  const engaged = list.filter((c) => c.engagement);
  await insertInChunks(engaged, (chunk) =>
    db.customerEngagement.createMany({
      data: chunk.map((c) => ({
        shop,
        customerId: c.id,
        lastVisitAt: c.engagement?.lastVisitAt ?? null,
        lastEmailClickAt: c.engagement?.lastEmailClickAt ?? null,
      })),
    }),
  );
}

const counted = (o: GenOrder, customerId: bigint | null): boolean =>
  countsForRfm({
    customerId,
    test: o.test,
    cancelledAt: o.cancelled ? o.at : null,
    deletedAt: o.deleted ? o.at : null,
  } satisfies CountableOrder);

/** The pure side: every customer's behaviours and segment from the domain rules alone. */
function expectedOf(settings: RfmSettings, stored: Map<bigint, { r: number; f: number; m: number }>) {
  const b = settings.behaviours;
  const countedOrders = new Map<bigint, BehaviourOrder[]>(
    customers.map((c) => [
      c.id,
      c.orders
        .filter((o) => counted(o, c.id))
        .map((o) => ({ localDay: localDate(o.at, TZ), discountCodes: o.codes, vendors: o.vendors })),
    ]),
  );
  const launchDays = launchDaysOf([...countedOrders.values()].flat(), peakStarts, AS_OF);
  const vipMinSpend = vipMinSpendOf(customers.map((c) => c.netSpend));
  const gaps = customers.flatMap((c) => (c.avgGap === null ? [] : [c.avgGap]));
  const context = {
    vipMinSpend,
    highValueMinSpend: b.highValueMinSpend === null ? vipMinSpend.vip_top_5 : parseMoney(b.highValueMinSpend),
    shopUsualGapDays: median(gaps) ?? b.dissatisfiedFallbackGapDays,
    settings: b,
  };
  const lookup = segmentLookup(rulesOf(settings), settings.scale);
  const s = settings.scale;
  const expected = new Map<bigint, { segment: SegmentKey | null; behaviours: string[] }>();
  for (const c of customers) {
    const orders = countedOrders.get(c.id) ?? [];
    const days = Math.max(0, AS_OF_DAY - epochDay(localDate(c.lastOrderAt, TZ)));
    const behaviours = behavioursOf(
      {
        days,
        monetary: c.netSpend,
        lifetimeSpend: c.netSpend,
        lifetimeOrders: c.orderCount,
        firstOrderInPeak: c.firstOrderPeak !== null,
        firstOrderDiscounted: c.firstOrderDiscounted,
        refundedSinceLastOrder: c.lastRefundAt !== null && c.lastRefundAt >= c.lastOrderAt,
        usualGapDays: c.avgGap,
        launchDayOrders: launchDayOrdersOf(orders, launchDays),
        brandLoyal: isBrandLoyal(orders, b.brandVendors),
      },
      context,
    );
    const score = stored.get(c.id);
    const ruleSegment = score ? (lookup[(score.r - 1) * s * s + (score.f - 1) * s + score.m - 1] as SegmentKey) : null;
    expected.set(c.id, {
      segment: ruleSegment && refinedSegment(ruleSegment, c.engagement, AS_OF, b),
      behaviours,
    });
  }
  return { expected, launchDays, vipMinSpend };
}

beforeAll(async () => {
  const rng = new Random(20261120);
  generate(rng);
  boundaries(rng, median(customers.flatMap((c) => (c.avgGap === null ? [] : [c.avgGap]))) ?? 90);
  await db.shop.create({ data: { shop: SHOP, ianaTimezone: TZ } });
  await store(SHOP, customers);
}, 300_000);

afterAll(async () => {
  await db.$disconnect();
});

const variants: [string, Partial<RfmSettings>][] = [
  ["default behaviour settings", {}],
  [
    "every behaviour threshold moved",
    {
      behaviours: {
        saleShopperMinOrders: 3,
        dissatisfiedFallbackGapDays: 45,
        brandVendors: ["Acme"],
        highValueMinSpend: "500",
        highValueInactiveDays: 120,
        churnMaxPAlive: 0.2,
        orderSoonMinP: 0.6,
        lostEngagedVisitDays: 30,
        lostEngagedClickDays: 60,
      },
    },
  ],
];

describe("behaviour rules: the scoring SQL against the pure domain rules", () => {
  for (const [name, edit] of variants) {
    it(`GIVEN ${GENERATED} generated customers plus boundary cases and ${name} WHEN the shop is scored THEN no customer's behaviours or segment differ`, async () => {
      const settings = await saveRfmSettings(db, SHOP, edit);
      const outcome = await runFullScoring(db, SHOP, { asOf: AS_OF });
      expect(outcome.customers).toBe(customers.length);
      const rows = await db.customerScore.findMany({
        where: { shop: SHOP },
        select: { customerId: true, r: true, f: true, m: true, segment: true, behaviours: true },
      });
      const stored = new Map(rows.map((r) => [r.customerId, r]));
      const { expected, launchDays, vipMinSpend } = expectedOf(settings, stored);
      const run = await db.scoringRun.findFirst({ where: { shop: SHOP, kind: "full" }, orderBy: { id: "desc" } });
      const stats = RunStatsPart.parse(run?.stats);
      expect(stats.launchDays).toEqual(launchDays);
      expect(
        Object.fromEntries(Object.entries(stats.vipMinSpend).map(([k, v]) => [k, v === null ? null : parseMoney(v)])),
      ).toEqual(vipMinSpend);

      const differences: string[] = [];
      const members = new Map<string, number>();
      for (const [id, want] of expected) {
        const got = stored.get(id);
        for (const key of want.behaviours) members.set(key, (members.get(key) ?? 0) + 1);
        if (want.segment === "lost_engaged") members.set("lost_engaged", (members.get("lost_engaged") ?? 0) + 1);
        if (!got) differences.push(`${id}: not scored`);
        else if (got.segment !== want.segment || got.behaviours.join() !== want.behaviours.join())
          differences.push(
            `${id}: SQL ${got.segment} [${got.behaviours}] vs rules ${want.segment} [${want.behaviours}]`,
          );
      }
      expect(differences.slice(0, 20)).toEqual([]);
      expect(differences.length).toBe(0);
      // Every rule has members on both sides of its threshold (the comparison is not vacuous).
      for (const key of [
        "vip_top_1",
        "vip_top_5",
        "vip_top_20",
        "first_time_seasonal",
        "coupon_shopper",
        "sale_shopper",
        "dissatisfied",
        "high_value_at_risk",
        "lost_engaged",
        ...(settings.behaviours.brandVendors.length > 0 ? ["brand_loyal"] : []),
      ])
        expect(members.get(key) ?? 0, key).toBeGreaterThan(0);
    }, 300_000);
  }
});

describe("which orders count: the aggregates' order count against countsForRfm", () => {
  it("GIVEN orders with every combination of test, cancelled, deleted and no customer WHEN the aggregates are computed THEN each customer's order count is the orders countsForRfm counts", async () => {
    const rng = new Random(7);
    await db.shop.create({ data: { shop: COUNT_SHOP, ianaTimezone: TZ } });
    const combos = Array.from({ length: 16 }, (_, i) => ({
      anonymous: (i & 1) !== 0,
      test: (i & 2) !== 0,
      cancelled: (i & 4) !== 0,
      deleted: (i & 8) !== 0,
    }));
    const orders: { customerId: bigint | null; o: GenOrder }[] = [];
    for (let c = 1; c <= 400; c++) {
      // The first customers have a single combination each (some of them only uncounted orders).
      const picks = c <= 16 ? [combos[c - 1]] : Array.from({ length: rng.int(1, 8) }, () => combos[rng.int(0, 15)]);
      for (const combo of picks) {
        if (!combo) continue;
        const o = order(dayAt(rng.int(0, 900)), combo);
        orders.push({ customerId: combo.anonymous ? null : BigInt(c), o });
      }
    }
    await db.order.createMany({
      data: orders.map(({ customerId, o }) => ({
        shop: COUNT_SHOP,
        id: o.id,
        customerId,
        createdAt: o.at,
        processedAt: o.at,
        shopifyUpdatedAt: o.at,
        cancelledAt: o.cancelled ? o.at : null,
        deletedAt: o.deleted ? o.at : null,
        test: o.test,
        currency: "USD",
        totalPrice: "10.00",
        currentTotalPrice: "10.00",
        totalRefunded: "0",
        discountCodes: [],
      })),
    });
    await recomputeShopAggregates(db, COUNT_SHOP, new Date(AS_OF_MS));
    const aggregates = await db.customerAggregate.findMany({
      where: { shop: COUNT_SHOP },
      select: { customerId: true, orderCount: true },
    });
    const want = new Map<string, number>();
    for (const { customerId, o } of orders)
      if (counted(o, customerId)) want.set(String(customerId), (want.get(String(customerId)) ?? 0) + 1);
    const got = new Map(aggregates.map((a) => [String(a.customerId), a.orderCount]));
    expect(got).toEqual(want);
    expect(want.size).toBeGreaterThan(50);
  }, 120_000);
});
