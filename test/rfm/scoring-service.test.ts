import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { recomputeShopAggregates } from "../../app/pipeline/aggregate/aggregates.server";
import { applyOrderState } from "../../app/pipeline/ingest/inbox/apply-changes.server";
import { latestFullRun, runFullScoring, runIncrementalScoring } from "../../app/pipeline/score/scoring.server";
import { saveRfmSettings, InvalidSettingsError } from "../../app/settings/settings.server";
import { scoreCustomers, valuesFromOrders, type OrderRow } from "../../app/domain/rfm/engine";
import { DEFAULT_RULES } from "../../app/domain/rfm/segments";
import { DEFAULT_FREQUENCY_THRESHOLDS, type RfmSettings } from "../../app/domain/rfm/settings";
import { epochDay, localDate } from "../../app/domain/rfm/dates";
import { DEFAULT_PEAK_SEASONS, peakRanges } from "../../app/domain/peak-seasons";
import { Random } from "../emulator/random";
import { customerSegmentHistory, transitionMatrix } from "../../app/pipeline/score/segment-history.server";
import { shopsDueForDailyRun } from "../../app/pipeline/score/scoring-schedule.server";
import { customerView } from "../../app/pages/customer/customer-view.server";

/**
 * The SQL service against the pure engine: the same orders, scored once by
 * PostgreSQL window functions and once by the TypeScript engine from the raw
 * order list, must give every customer the same R, F, M and segment.
 */

const db = createDb(process.env.DATABASE_URL as string, 4);
const SHOP = "scoring-test.myshopify.com";
const TZ = "Europe/Amsterdam";
const AS_OF = "2026-11-20";

interface TestOrder {
  id: bigint;
  customerId: bigint | null;
  at: Date;
  total: number;
  current: number;
  test: boolean;
  cancelled: boolean;
  codes: string[];
  vendor: string;
}

const orders: TestOrder[] = [];

function cents(n: number) {
  return (n / 100).toFixed(2);
}

beforeAll(async () => {
  const rng = new Random(11);
  await db.shop.create({ data: { shop: SHOP, ianaTimezone: TZ } });
  let id = 1_000n;
  const end = Date.parse(`${AS_OF}T12:00:00Z`);
  for (let c = 1; c <= 600; c++) {
    // Heavy-tailed order counts: most customers order once.
    const n = rng.next() < 0.55 ? 1 : 1 + Math.floor(rng.next() ** 2 * 14);
    for (let k = 0; k < n; k++) {
      const total = 500 + Math.floor(rng.next() ** 3 * 40_000);
      // Times near local midnight on purpose: the local date differs from the UTC date.
      const at = new Date(end - Math.floor(rng.next() * 1100) * 86_400_000 - (rng.next() < 0.3 ? 23.5 * 3_600_000 : 0));
      orders.push({
        id: id++,
        customerId: BigInt(c),
        at,
        total,
        current: rng.next() < 0.1 ? Math.floor(total / 2) : total,
        test: rng.next() < 0.01,
        cancelled: rng.next() < 0.02,
        codes: rng.next() < 0.1 ? [rng.next() < 0.5 ? "ZOMER10" : `ONEOFF-${id}`] : [],
        vendor: rng.next() < 0.8 ? "Acme" : "Other",
      });
    }
  }
  // Sale shoppers: customers who come back on Black Friday (the first day of a peak season).
  for (let c = 601; c <= 620; c++)
    for (const day of ["2024-11-29T11:00:00Z", "2025-11-28T11:00:00Z"])
      orders.push({
        id: id++,
        customerId: BigInt(c),
        at: new Date(day),
        total: 4_000,
        current: 4_000,
        test: false,
        cancelled: false,
        codes: [],
        vendor: "Acme",
      });
  orders.push({
    id: id++,
    customerId: null,
    at: new Date(end),
    total: 999,
    current: 999,
    test: false,
    cancelled: false,
    codes: [],
    vendor: "Acme",
  });
  await db.order.createMany({
    data: orders.map((o) => ({
      shop: SHOP,
      id: o.id,
      customerId: o.customerId,
      createdAt: o.at,
      processedAt: o.at,
      shopifyUpdatedAt: o.at,
      cancelledAt: o.cancelled ? o.at : null,
      test: o.test,
      currency: "EUR",
      totalPrice: cents(o.total),
      currentTotalPrice: cents(o.current),
      totalRefunded: cents(o.total - o.current),
      discountCodes: o.codes,
    })),
  });
  await db.orderLine.createMany({
    data: orders.map((o) => ({
      shop: SHOP,
      orderId: o.id,
      id: o.id,
      vendor: o.vendor,
      quantity: 1,
      amount: cents(o.total),
    })),
  });
  // Partly refunded orders have their refund three days later.
  await db.refund.createMany({
    data: orders
      .filter((o) => o.current < o.total)
      .map((o) => ({
        shop: SHOP,
        id: o.id,
        orderId: o.id,
        createdAt: new Date(o.at.getTime() + 3 * 86_400_000),
        amount: cents(o.total - o.current),
      })),
  });
  await recomputeShopAggregates(db, SHOP, new Date(`${AS_OF}T23:00:00Z`));
}, 60_000);

afterAll(async () => {
  await db.$disconnect();
});

/** The independent side: counted orders → rows → the pure engine. */
function engineScores(settings: RfmSettings) {
  const rows: OrderRow[] = orders
    .filter((o) => o.customerId !== null && !o.test && !o.cancelled)
    .map((o) => ({
      customerId: String(o.customerId),
      day: epochDay(localDate(o.at, TZ)),
      amount: BigInt(o.current) * 100n,
    }));
  const values = valuesFromOrders(rows, epochDay(AS_OF), settings.windowMonths);
  const { scored, cutoffs } = scoreCustomers(values, {
    asOfDay: epochDay(AS_OF),
    scale: settings.scale,
    frequencyMode: settings.frequencyMode,
    frequencyThresholds: settings.frequencyThresholds ?? DEFAULT_FREQUENCY_THRESHOLDS[settings.scale],
    rules: settings.rules ?? DEFAULT_RULES[settings.scale],
  });
  return { byId: new Map(scored.map((c) => [c.customerId, c])), cutoffs };
}

async function storedScores() {
  const rows = await db.customerScore.findMany({ where: { shop: SHOP } });
  return new Map(rows.map((r) => [String(r.customerId), r]));
}

const variants: [string, Partial<RfmSettings>][] = [
  ["defaults (5, all history, F by rank)", {}],
  ["scale 4", { scale: 4 }],
  ["last 12 months", { windowMonths: 12 }],
  ["F by fixed thresholds", { frequencyMode: "thresholds" }],
  ["24 months on scale 4 with thresholds", { windowMonths: 24, scale: 4, frequencyMode: "thresholds" }],
];

describe("full scoring run in PostgreSQL", () => {
  for (const [name, edit] of variants) {
    it(`GIVEN ${name} WHEN the shop is scored THEN every customer matches the TypeScript engine, cut-offs included`, async () => {
      const settings = await saveRfmSettings(db, SHOP, edit);
      const outcome = await runFullScoring(db, SHOP, { asOf: AS_OF });
      const expected = engineScores(settings);
      const actual = await storedScores();
      expect(outcome.customers).toBe(expected.byId.size);
      expect(actual.size).toBe(expected.byId.size);
      const mismatches: string[] = [];
      for (const [id, e] of expected.byId) {
        const a = actual.get(id);
        const got =
          a &&
          [
            epochDay(a.lastOrderDate.toISOString().slice(0, 10)),
            a.frequency,
            BigInt(a.monetary.mul(10_000).toFixed(0)),
            a.r,
            a.f,
            a.m,
            a.segment,
          ].join();
        const want = [e.lastOrderDay, e.frequency, e.monetary, e.r, e.f, e.m, e.segment].join();
        if (got !== want) mismatches.push(`${id}: got ${got} want ${want}`);
      }
      expect(mismatches.slice(0, 5)).toEqual([]);
      const run = await latestFullRun(db, SHOP);
      const cutoffs = run?.cutoffs as {
        r: unknown[];
        f: unknown[];
        m: { score: number; min: string; max: string; customers: number }[];
      };
      expect(cutoffs.r).toEqual(expected.cutoffs.r);
      expect(cutoffs.f).toEqual(expected.cutoffs.f);
      expect(
        cutoffs.m.map((c) => ({ ...c, min: BigInt(c.min.replace(".", "")), max: BigInt(c.max.replace(".", "")) })),
      ).toEqual(expected.cutoffs.m);
    });
  }
});

describe("settings edits", () => {
  it("GIVEN a rule table with a gap THEN saving is refused and nothing changes", async () => {
    await saveRfmSettings(db, SHOP, {});
    const edited = DEFAULT_RULES[5].filter((r) => r.segment !== "lost");
    await expect(saveRfmSettings(db, SHOP, { rules: edited })).rejects.toThrow(InvalidSettingsError);
    const row = await db.shopSettings.findUnique({ where: { shop: SHOP } });
    expect((row?.rfm as { rules: unknown }).rules).toBeNull();
  });
});

describe("behaviours, history and stability", () => {
  it("GIVEN the default settings THEN behavioural segments follow their definitions", async () => {
    await saveRfmSettings(db, SHOP, { behaviours: { brandVendors: ["Acme"] } });
    await runFullScoring(db, SHOP, { asOf: AS_OF });
    const scores = await storedScores();
    const aggregates = new Map(
      (await db.customerAggregate.findMany({ where: { shop: SHOP } })).map((a) => [String(a.customerId), a]),
    );
    const n = scores.size;
    const spends = [...scores.values()].map((s) => Number(s.monetary));
    for (const [id, s] of scores) {
      const a = aggregates.get(id);
      if (!a) throw new Error(`no aggregate for ${id}`);
      const better = spends.filter((v) => v > Number(s.monetary)).length;
      expect(s.behaviours.includes("vip_top_1"), `${id} top 1`).toBe(Number(s.monetary) > 0 && better * 100 < n);
      expect(s.behaviours.includes("vip_top_5"), `${id} top 5`).toBe(Number(s.monetary) > 0 && better * 100 < 5 * n);
      expect(s.behaviours.includes("coupon_shopper"), `${id} coupon`).toBe(a.firstOrderDiscounted);
      expect(s.behaviours.includes("first_time_seasonal"), `${id} seasonal`).toBe(
        a.firstOrderPeak !== null && a.orderCount === 1,
      );
      const own = orders.filter((o) => String(o.customerId) === id && !o.test && !o.cancelled);
      expect(s.behaviours.includes("brand_loyal"), `${id} brand`).toBe(own.every((o) => o.vendor === "Acme"));
    }
    // The rest, from the raw orders: sale days, refunds, the usual gap, high value at risk.
    const run0 = await latestFullRun(db, SHOP);
    const stats0 = run0?.stats as {
      vipMinSpend: Record<string, string>;
      launchDays: string[];
      medianGapDays: number | null;
    };
    const counted = orders.filter((o) => o.customerId !== null && !o.test && !o.cancelled);
    const codeUses = new Map<string, string[]>();
    for (const o of counted)
      for (const code of o.codes)
        codeUses.set(code.toLowerCase(), [...(codeUses.get(code.toLowerCase()) ?? []), localDate(o.at, TZ)]);
    const peakStarts = peakRanges(DEFAULT_PEAK_SEASONS, 1995, 2027).map((r) => r.start);
    const launch = new Set(
      [...[...codeUses.values()].filter((d) => d.length >= 3).map((d) => d.sort()[0] as string), ...peakStarts].filter(
        (d) => d <= AS_OF,
      ),
    );
    expect(new Set(stats0.launchDays)).toEqual(launch);
    const gaps = [...aggregates.values()]
      .map((a) => a.avgDaysBetweenOrders)
      .filter((g): g is number => g !== null)
      .sort((x, y) => x - y);
    const mid = (gaps.length - 1) / 2;
    const median = ((gaps[Math.floor(mid)] as number) + (gaps[Math.ceil(mid)] as number)) / 2;
    expect(stats0.medianGapDays).toBeCloseTo(median, 6);
    let dissatisfied = 0;
    let highValue = 0;
    let sale = 0;
    for (const [id, s] of scores) {
      const a = aggregates.get(id);
      if (!a) throw new Error(`no aggregate for ${id}`);
      const days = epochDay(AS_OF) - epochDay(localDate(a.lastOrderAt, TZ));
      const refundedSince = a.lastRefundAt !== null && a.lastRefundAt >= a.lastOrderAt;
      const isDissatisfied = refundedSince && days > (a.avgDaysBetweenOrders ?? median);
      expect(s.behaviours.includes("dissatisfied"), `${id} dissatisfied`).toBe(isDissatisfied);
      const isHighValue = Number(a.netSpend) >= Number(stats0.vipMinSpend.vip_top_5) && days >= 90;
      expect(s.behaviours.includes("high_value_at_risk"), `${id} high value at risk`).toBe(isHighValue);
      const onLaunchDays = counted.filter((o) => String(o.customerId) === id && launch.has(localDate(o.at, TZ))).length;
      expect(s.behaviours.includes("sale_shopper"), `${id} sale shopper`).toBe(onLaunchDays >= 2);
      dissatisfied += Number(isDissatisfied);
      highValue += Number(isHighValue);
      sale += Number(onLaunchDays >= 2);
    }
    // The data exercises every rule, not only the empty case.
    expect([dissatisfied > 0, highValue > 0, sale > 0]).toEqual([true, true, true]);
    const tiers = [...scores.values()].filter((s) => s.behaviours.includes("vip_top_1")).length;
    expect(tiers).toBeGreaterThan(0);
    const run = await latestFullRun(db, SHOP);
    const stats = run?.stats as {
      revenueShare: Record<string, number>;
      segments: Record<string, number>;
      launchDays: string[];
    };
    expect(stats.revenueShare.vip_top_20).toBeGreaterThan(0.2);
    expect(Object.values(stats.segments).reduce((x, y) => x + y, 0)).toBe(n);
    // ZOMER10 is a sale code (used by many); one-off codes are not.
    const zomerFirst = orders
      .filter((o) => o.codes.includes("ZOMER10") && o.customerId !== null && !o.test && !o.cancelled)
      .map((o) => localDate(o.at, TZ))
      .sort()[0];
    expect(stats.launchDays).toContain(zomerFirst);
  });

  it("GIVEN later daily runs THEN history records every move once, and stability holds moves back until K runs agree", async () => {
    await saveRfmSettings(db, SHOP, {});
    await db.segmentMembership.deleteMany({ where: { shop: SHOP } });
    await db.customerScore.deleteMany({ where: { shop: SHOP } });
    await db.writeBackPending.deleteMany({ where: { shop: SHOP } });
    const beforeFirst = new Date();
    await runFullScoring(db, SHOP, { asOf: "2026-11-20" });
    const day1 = await storedScores();
    // A shop's first scores are not marked one by one: the next write-back is asked to compare everyone.
    const wanted = (await db.shop.findUniqueOrThrow({ where: { shop: SHOP } })).writeBackFullWantedAt;
    expect(wanted?.getTime()).toBeGreaterThanOrEqual(beforeFirst.getTime() - 1_000);
    expect(await db.writeBackPending.count({ where: { shop: SHOP } })).toBe(0);
    expect([...day1.values()].every((c) => c.segmentSince.toISOString().startsWith("2026-11-20"))).toBe(true);
    expect(await db.segmentMembership.count({ where: { shop: SHOP } })).toBe(0);

    // The same run again on the same day changes nothing at all.
    const again = await runFullScoring(db, SHOP, { asOf: "2026-11-20" });
    expect(again.written).toBe(0);
    expect(again.changedSegment).toBe(0);
    expect(await db.writeBackPending.count({ where: { shop: SHOP } })).toBe(0);

    // With stability 3, a new order that lifts a lost customer is held back until it holds for 3 daily runs.
    await saveRfmSettings(db, SHOP, { stabilityRuns: 3 });
    const lost = [...day1.values()].find((s) => s.segment === "lost");
    if (!lost) throw new Error("no lost customer in the data");
    for (let k = 0; k < 5; k++) {
      await db.$transaction((tx) =>
        applyOrderState(
          tx,
          SHOP,
          {
            id: 900_000n + BigInt(k),
            customerId: lost.customerId,
            name: null,
            createdAt: new Date("2026-11-20T10:00:00Z"),
            processedAt: new Date("2026-11-20T10:00:00Z"),
            updatedAt: new Date("2026-11-20T10:00:00Z"),
            cancelledAt: null,
            test: false,
            currency: "EUR",
            totalPrice: 5_000_000n,
            currentTotalPrice: 5_000_000n,
            totalRefunded: 0n,
            discountCodes: [],
            lines: [],
            refunds: [],
          },
          null,
        ),
      );
    }
    const incremental = await runIncrementalScoring(db, SHOP, { asOf: "2026-11-20" });
    expect(incremental?.customers).toBe(1);
    // The re-scored customer is marked for write-back in the same transaction, and only they.
    const marked = await db.writeBackPending.findMany({ where: { shop: SHOP }, select: { customerId: true } });
    expect(marked.map((p) => p.customerId)).toEqual([lost.customerId]);
    await db.writeBackPending.deleteMany({ where: { shop: SHOP } });
    let score = await db.customerScore.findUniqueOrThrow({
      where: { shop_customerId: { shop: SHOP, customerId: lost.customerId } },
    });
    expect(score.r).toBe(5);
    expect(score.segment).toBe("lost");
    expect(score.candidateSegment).toBe("champions");

    await runFullScoring(db, SHOP, { asOf: "2026-11-21" });
    await runFullScoring(db, SHOP, { asOf: "2026-11-21" }); // same day: does not count twice
    await runFullScoring(db, SHOP, { asOf: "2026-11-22" });
    score = await db.customerScore.findUniqueOrThrow({
      where: { shop_customerId: { shop: SHOP, customerId: lost.customerId } },
    });
    expect([score.segment, score.candidateRuns]).toEqual(["lost", 2]);
    await runFullScoring(db, SHOP, { asOf: "2026-11-23" });
    score = await db.customerScore.findUniqueOrThrow({
      where: { shop_customerId: { shop: SHOP, customerId: lost.customerId } },
    });
    expect(score.segment).toBe("champions");
    expect(score.segmentSince.toISOString().slice(0, 10)).toBe("2026-11-23");

    const stays = (await customerSegmentHistory(db, SHOP, lost.customerId)).filter((x) => x.kind === "rfm");
    expect(stays).toEqual([
      { kind: "rfm", segment: "lost", from: "2026-11-20", to: "2026-11-23" },
      { kind: "rfm", segment: "champions", from: "2026-11-23", to: null },
    ]);
    // Movement: the matrix from the 22nd to the 23rd has our customer going lost → champions,
    // and every scored customer is counted exactly once on each side.
    const moves = await transitionMatrix(db, SHOP, "2026-11-22", "2026-11-23");
    expect(moves.find((m) => m.from === "lost" && m.to === "champions")?.customers).toBeGreaterThanOrEqual(1);
    const scored = await db.customerScore.count({ where: { shop: SHOP } });
    expect(moves.filter((m) => m.to !== null).reduce((x, m) => x + m.customers, 0)).toBe(scored);
    expect(moves.filter((m) => m.from !== null).reduce((x, m) => x + m.customers, 0)).toBe(scored);
    // Ended stays never overlap an open one of the same kind and segment.
    const [overlaps] = await db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "SegmentMembership" sm JOIN "CustomerScore" cs USING (shop, "customerId")
       WHERE sm.shop = $1 AND sm.kind = 'rfm' AND sm."validTo" > cs."segmentSince"`,
      SHOP,
    );
    expect(overlaps?.n).toBe(0);
  });
});

describe("lost but engaged", () => {
  it("GIVEN lost customers of whom one visited recently and one clicked an email long ago THEN only the visitor is lost_engaged", async () => {
    await saveRfmSettings(db, SHOP, {});
    await runFullScoring(db, SHOP, { asOf: AS_OF });
    const lost = await db.customerScore.findMany({
      where: { shop: SHOP, segment: "lost" },
      take: 3,
      orderBy: { customerId: "asc" },
    });
    expect(lost).toHaveLength(3);
    const [visitor, clicker, quiet] = lost as [(typeof lost)[0], (typeof lost)[0], (typeof lost)[0]];
    await db.customerEngagement.createMany({
      data: [
        { shop: SHOP, customerId: visitor.customerId, lastVisitAt: new Date(`2026-10-01T12:00:00Z`) },
        { shop: SHOP, customerId: clicker.customerId, lastEmailClickAt: new Date(`2026-01-01T12:00:00Z`) },
      ],
    });
    await runFullScoring(db, SHOP, { asOf: AS_OF });
    const segmentOf = async (id: bigint) =>
      (await db.customerScore.findUniqueOrThrow({ where: { shop_customerId: { shop: SHOP, customerId: id } } }))
        .segment;
    expect([
      await segmentOf(visitor.customerId),
      await segmentOf(clicker.customerId),
      await segmentOf(quiet.customerId),
    ]).toEqual(["lost_engaged", "lost", "lost"]);
    await db.customerEngagement.deleteMany({ where: { shop: SHOP } });
  });
});

describe("daily run schedule", () => {
  const noneQueued = async () => false;
  it("GIVEN shops in three time zones THEN each is due once its local clock passes the run hour, and not again that local day", async () => {
    const synced = new Date("2026-11-01T00:00:00Z");
    for (const [shop, tz] of [
      ["ams.myshopify.com", "Europe/Amsterdam"],
      ["la.myshopify.com", "America/Los_Angeles"],
      ["akl.myshopify.com", "Pacific/Auckland"],
    ] as const)
      await db.shop.create({ data: { shop, ianaTimezone: tz, ordersSyncedAt: synced } });
    await db.shop.create({
      data: { shop: "gone.myshopify.com", ianaTimezone: "UTC", ordersSyncedAt: synced, uninstalledAt: synced },
    });
    const now = new Date("2026-11-22T10:30:00Z"); // 11:30 Amsterdam, 02:30 Los Angeles, 23:30 Auckland
    const due = await shopsDueForDailyRun(db, now, noneQueued);
    expect(due.filter((s) => s !== SHOP).sort()).toEqual(["akl.myshopify.com", "ams.myshopify.com"]);
    await db.scoringRun.create({
      data: {
        shop: "ams.myshopify.com",
        kind: "full",
        asOf: new Date("2026-11-22T00:00:00Z"),
        scale: 5,
        settings: {},
        customers: 0,
        cutoffs: {},
        stats: {},
        finishedAt: now,
      },
    });
    expect((await shopsDueForDailyRun(db, now, noneQueued)).filter((s) => s !== SHOP).sort()).toEqual([
      "akl.myshopify.com",
    ]);
    await saveRfmSettings(db, "akl.myshopify.com", { dailyRunHour: 23 });
    expect(
      (await shopsDueForDailyRun(db, new Date("2026-11-22T09:59:00Z"), noneQueued)).filter((s) => s !== SHOP),
    ).toEqual([]);
  });
});

describe("customer view", () => {
  it("GIVEN a scored customer THEN the view explains each score from the run's cut-offs; another shop never sees them", async () => {
    await saveRfmSettings(db, SHOP, {});
    await runFullScoring(db, SHOP, { asOf: AS_OF });
    const someone = await db.customerScore.findFirstOrThrow({ where: { shop: SHOP }, orderBy: { customerId: "asc" } });
    const view = await customerView(db, SHOP, someone.customerId, "nl-NL");
    expect(view?.score?.code).toBe(`${someone.r}${someone.f}${someone.m}`);
    expect(view?.score?.explanations[0]).toMatch(new RegExp(`^R ${someone.r}: laatste bestelling`));
    expect(view?.score?.segment.name).toMatch(/\S/);
    expect(await customerView(db, "someone-else.myshopify.com", someone.customerId, "en")).toBeNull();
  });
});
