import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { queryRows } from "../../app/platform/db/sql.server";
import { epochDay, isoDay } from "../../app/domain/rfm/dates";
import { seededRandom, simulateCustomer } from "../../app/domain/clv/simulate";
import { summarise } from "../../app/domain/clv/summary";
import { estimateChain, forecastSizes, moveDownProbability, type Transition } from "../../app/domain/forecast/markov";
import { backtestPurchaseModel, runForecast } from "../../app/pipeline/forecast/forecast.server";
import { ClvBacktestJson, SegmentBacktestJson, SegmentForecast } from "../../app/pipeline/forecast/forecast-shapes";
import { loadForecastPage } from "../../app/pages/forecast/forecast-page.server";
import { redactCustomer } from "../../app/pipeline/ingest/data-retention.server";

/**
 * The forecast job on stored history: segment stays written from a known chain (with a reconstructed month
 * before the first real run that must not count), and the purchase model's back-test on orders, where orders
 * after the cut-off must change nothing in the fit.
 */

const db = createDb(process.env.DATABASE_URL as string, 2);
const AS_OF = "2026-11-30";
const STATES = ["champions", "loyal", "at_risk", "lost"];
const TRUE_P = [
  [0.7, 0.2, 0.05, 0.03, 0.02],
  [0.1, 0.6, 0.2, 0.08, 0.02],
  [0.05, 0.1, 0.5, 0.3, 0.05],
  [0.01, 0.02, 0.07, 0.85, 0.05],
];

async function scoringRun(shop: string, kind: string, asOf: string) {
  return db.scoringRun.create({
    data: {
      shop,
      kind,
      asOf: new Date(`${asOf}T00:00:00Z`),
      scale: 5,
      settings: {},
      customers: 0,
      cutoffs: {},
      stats: {},
      finishedAt: new Date(),
    },
  });
}

/**
 * Customers walking TRUE_P at the run dates (one every 30 days, oldest first), stored as the app stores them:
 * ended stays in SegmentMembership, the open one in CustomerScore. Returns the transitions per month.
 */
async function writeHistory(shop: string, customers: number, dates: string[], seed: number) {
  const random = seededRandom(seed);
  const months: Transition[][] = dates.slice(1).map(() => []);
  const count = (m: number, from: string | null, to: string | null) => {
    const list = months[m] as Transition[];
    const hit = list.find((t) => t.from === from && t.to === to);
    if (hit) hit.customers++;
    else list.push({ from, to, customers: 1 });
  };
  const ended: { customerId: bigint; segment: string; validFrom: Date; validTo: Date }[] = [];
  const open: { customerId: bigint; segment: string; since: Date }[] = [];
  const day = (i: number) => new Date(`${dates[i]}T00:00:00Z`);
  for (let c = 1; c <= customers; c++) {
    // The first (reconstructed) date puts everyone in lost: if that month counted, lost would look like a
    // segment everybody leaves for champions.
    let state: number | null = 3;
    let since = 0;
    for (let i = 1; i < dates.length; i++) {
      let next: number | null;
      if (i === 1) next = c % STATES.length;
      else {
        const u = random();
        const row = TRUE_P[state ?? 0] as number[];
        let acc = 0;
        next = null;
        for (let j = 0; j < row.length; j++) {
          acc += row[j] as number;
          if (u < acc) {
            next = j < STATES.length ? j : null;
            break;
          }
        }
      }
      count(i - 1, STATES[state ?? 0] as string, next === null ? null : (STATES[next] as string));
      if (next !== state) {
        ended.push({
          customerId: BigInt(c),
          segment: STATES[state ?? 0] as string,
          validFrom: day(since),
          validTo: day(i),
        });
        since = i;
      }
      state = next;
      if (state === null) break;
    }
    if (state !== null) open.push({ customerId: BigInt(c), segment: STATES[state] as string, since: day(since) });
  }
  const runId = (await db.scoringRun.findFirstOrThrow({ where: { shop }, orderBy: { id: "desc" } })).id;
  await db.segmentMembership.createMany({ data: ended.map((s) => ({ shop, kind: "rfm", ...s })) });
  await db.customerScore.createMany({
    data: open.map((s) => ({
      shop,
      customerId: s.customerId,
      lastOrderDate: s.since,
      frequency: 1,
      monetary: (Number(s.customerId) % 97).toFixed(2),
      r: 3,
      f: 3,
      m: 3,
      segment: s.segment,
      segmentSince: s.since,
      behaviours: [],
      behaviourSince: [],
      scoredRunId: runId,
    })),
  });
  // One order each: scored customers have orders.
  await db.order.createMany({
    data: open.map((s) => ({
      shop,
      id: s.customerId,
      customerId: s.customerId,
      createdAt: s.since,
      processedAt: s.since,
      shopifyUpdatedAt: s.since,
      currency: "EUR",
      totalPrice: "10.00",
      currentTotalPrice: "10.00",
      totalRefunded: "0",
      discountCodes: [],
    })),
  });
  await db.customer.createMany({
    data: open.map((s) => ({
      shop,
      id: s.customerId,
      firstName: "Klant",
      lastName: String(s.customerId),
      shopifyUpdatedAt: new Date(),
    })),
  });
  return months;
}

const monthDates = (n: number) => Array.from({ length: n }, (_, k) => isoDay(epochDay(AS_OF) - 30 * (n - 1 - k)));

describe("segment forecast from stored history", () => {
  const SHOP = "forecast-history.myshopify.com";
  let months: Transition[][] = [];

  beforeAll(async () => {
    await db.shop.create({ data: { shop: SHOP, ianaTimezone: "UTC", currencyCode: "EUR" } });
    const dates = monthDates(7);
    await scoringRun(SHOP, "reconstructed", dates[0] as string);
    for (const d of dates.slice(1)) await scoringRun(SHOP, "full", d);
    months = await writeHistory(SHOP, 3000, dates, 21);
  });

  it("forecasts from the recorded months only, and back-tests the last one", async () => {
    const run = await runForecast(db, SHOP);
    expect(run?.sufficient).toBe(true);
    expect(run?.observedMonths).toBe(5);
    expect(run?.historyStart?.toISOString().slice(0, 10)).toBe(monthDates(6)[0]);
    const forecast = SegmentForecast.parse(run?.segmentForecast);
    // The chain of the five recorded months, not the reconstructed one (months[0]).
    const recorded = months.slice(1);
    const chain = estimateChain(recorded, STATES);
    const now = STATES.map((s) => (recorded.at(-1) ?? []).reduce((n, t) => (t.to === s ? n + t.customers : n), 0));
    const in30 = forecastSizes(chain, now, 1);
    const in90 = forecastSizes(chain, now, 3);
    for (const [i, s] of STATES.entries()) {
      const row = forecast.sizes.find((r) => r.segment === s);
      expect(row?.now).toBe(now[i]);
      expect(row?.in30).toBeCloseTo(in30[i] as number, 6);
      expect(row?.in90).toBeCloseTo(in90[i] as number, 6);
    }
    // Recovered within sampling noise: champions stay about 70 %, lost stays about 85 %.
    expect(chain.matrix[0]?.[0]).toBeGreaterThan(0.65);
    expect(chain.matrix[3]?.[3]).toBeGreaterThan(0.8);
    // No prediction run: the chain's row alone. Most likely down: at_risk (1 − 0.5 − 0.1 − 0.05 = 0.35 down)
    // before loyal (0.3), the valuable first.
    expect(forecast.movingDown).toHaveLength(25);
    expect(forecast.movingDown[0]?.segment).toBe("at_risk");
    expect(forecast.movingDown[0]?.pDown).toBeCloseTo(0.35, 1);
    expect(forecast.movingDown[0]?.pAlive).toBeNull();
    // Within the segment, the most valuable first (monetary = id mod 97 here).
    const values = forecast.movingDown.filter((c) => c.segment === "at_risk").map((c) => Number(c.customerId) % 97);
    expect(values).toEqual([...values].sort((a, b) => b - a));

    const backtest = SegmentBacktestJson.parse(run?.segmentBacktest);
    expect(backtest.available).toBe(true);
    if (backtest.available) {
      expect(backtest.months).toBe(4);
      expect(backtest.weightedMape).toBeGreaterThan(0);
      expect(backtest.weightedMape).toBeLessThan(0.08);
    }
  });

  it("shows the stored rows with names and the error, and forgets a redacted customer", async () => {
    const page = await loadForecastPage(db, SHOP, new Request("https://app.example/app/forecast?locale=nl"));
    expect(page.run?.sufficient).toBe(true);
    expect(page.run?.sizes.find((s) => s.segment === "champions")?.name).toBe("Topklanten");
    const first = page.run?.movingDown[0];
    expect(first?.name).toBe(`Klant ${first?.customerId}`);
    const id = BigInt(first?.customerId ?? "0");
    await db.$transaction((tx) => redactCustomer(tx, SHOP, id));
    const after = await loadForecastPage(db, SHOP, new Request("https://app.example/app/forecast"));
    expect(after.run?.movingDown.map((c) => c.customerId)).not.toContain(String(id));
    expect(after.run?.movingDown).toHaveLength(24);
  });
});

async function predictionRun(shop: string, sufficient: boolean) {
  const scoring = await db.scoringRun.findFirstOrThrow({ where: { shop, kind: "full" }, orderBy: { id: "desc" } });
  return db.predictionRun.create({
    data: {
      shop,
      scoringRunId: scoring.id,
      model: "mbgnbd",
      unit: "week",
      annualDiscountRate: 0.1,
      distinctTuples: 0,
      customers: 0,
      repeatCustomers: 0,
      sufficient,
      reason: sufficient ? null : "too_few_repeat_customers",
      finishedAt: new Date(),
    },
  });
}

describe("moving down with the stored predictions", () => {
  const SHOP = "forecast-predicted.myshopify.com";
  // Ten P(alive) levels over the customers, so P(down) differs within a segment.
  const storedPAlive = (id: bigint) => 0.05 + 0.1 * Number(id % 10n);
  let months: Transition[][] = [];

  beforeAll(async () => {
    await db.shop.create({ data: { shop: SHOP, ianaTimezone: "UTC", currencyCode: "EUR" } });
    const dates = monthDates(7);
    await scoringRun(SHOP, "reconstructed", dates[0] as string);
    for (const d of dates.slice(1)) await scoringRun(SHOP, "full", d);
    months = await writeHistory(SHOP, 800, dates, 5);
  });

  it("uses exactly the pAlive of the latest sufficient prediction run", async () => {
    const run = await predictionRun(SHOP, true);
    const scored = await db.customerScore.findMany({ where: { shop: SHOP } });
    await db.customerPrediction.createMany({
      data: scored.map((c) => ({
        shop: SHOP,
        customerId: c.customerId,
        runId: run.id,
        pAlive: storedPAlive(c.customerId),
        expectedOrders90: 0,
        expectedOrders365: 0,
        pOrder30: 0,
        pNoOrder90: 1,
      })),
    });
    const forecast = SegmentForecast.parse((await runForecast(db, SHOP))?.segmentForecast);
    const chain = estimateChain(months.slice(1), STATES);
    // Every scored customer ranked by 1 − stored P(alive) · P(stay-or-up), then value, then id.
    const expected = scored
      .map((c) => ({
        customerId: String(c.customerId),
        segment: c.segment,
        pAlive: storedPAlive(c.customerId),
        pDown: moveDownProbability(chain, c.segment, storedPAlive(c.customerId)),
        monetary: Number(c.monetary),
      }))
      .sort(
        (a, b) => b.pDown - a.pDown || b.monetary - a.monetary || Number(BigInt(a.customerId) - BigInt(b.customerId)),
      )
      .slice(0, 25);
    expect(forecast.movingDown).toHaveLength(25);
    expect(forecast.movingDown.map((c) => c.customerId)).toEqual(expected.map((c) => c.customerId));
    for (const [i, c] of forecast.movingDown.entries()) {
      const want = expected[i];
      expect(c.pAlive).toBe(want?.pAlive);
      expect(c.segment).toBe(want?.segment);
      expect(c.pDown).toBeCloseTo(want?.pDown ?? NaN, 12);
    }
    // Not the chain's row alone: the stored P(alive) below 1 raises P(down).
    const first = forecast.movingDown[0];
    expect(first?.pDown).toBeGreaterThan(moveDownProbability(chain, first?.segment ?? "", null));
  });

  it("falls back to the chain's row alone when the latest prediction run is not sufficient", async () => {
    // The earlier run's rows are still stored: they belong to a run that is no longer the latest.
    await predictionRun(SHOP, false);
    const forecast = SegmentForecast.parse((await runForecast(db, SHOP))?.segmentForecast);
    const chain = estimateChain(months.slice(1), STATES);
    expect(forecast.movingDown).toHaveLength(25);
    for (const c of forecast.movingDown) {
      expect(c.pAlive).toBeNull();
      expect(c.pDown).toBeCloseTo(moveDownProbability(chain, c.segment, null), 12);
    }
    expect(forecast.movingDown[0]?.segment).toBe("at_risk");
  });
});

describe("not enough history", () => {
  const SHOP = "forecast-young.myshopify.com";
  it("says so with the months recorded, and a reconstructed month does not count", async () => {
    await db.shop.create({ data: { shop: SHOP, ianaTimezone: "UTC", currencyCode: "EUR" } });
    const dates = monthDates(4);
    await scoringRun(SHOP, "reconstructed", dates[0] as string);
    for (const d of dates.slice(1)) await scoringRun(SHOP, "full", d);
    await writeHistory(SHOP, 200, dates, 3);
    const run = await runForecast(db, SHOP);
    // Three month dates recorded = two transitions; with the reconstructed one it would have been three.
    expect(run).toMatchObject({ sufficient: false, reason: "too_few_months", observedMonths: 2 });
    expect(SegmentForecast.parse(run?.segmentForecast)).toEqual({ sizes: [], movingDown: [] });
    expect(SegmentBacktestJson.parse(run?.segmentBacktest)).toMatchObject({ available: false });
  });
});

describe("purchase-model back-test on the shop's orders", () => {
  const SHOP = "forecast-clv.myshopify.com";
  const TZ = "Europe/Amsterdam";
  const START = epochDay("2025-06-01");
  let nextId = 1n;
  const orderRow = (customerId: bigint, at: Date) => ({
    shop: SHOP,
    id: nextId++,
    customerId,
    createdAt: at,
    processedAt: at,
    shopifyUpdatedAt: at,
    currency: "EUR",
    totalPrice: "25.00",
    currentTotalPrice: "25.00",
    totalRefunded: "0",
    discountCodes: [],
  });

  beforeAll(async () => {
    await db.shop.create({ data: { shop: SHOP, ianaTimezone: TZ, currencyCode: "EUR" } });
    const random = seededRandom(9);
    const rows = [];
    const end = epochDay(AS_OF);
    for (let c = 1; c <= 800; c++) {
      const first = START + Math.floor(random() * 200);
      const sim = simulateCustomer(random, "mbgnbd", [0.6, 8, 0.8, 2], (end - first) / 7);
      for (const t of [0, ...sim.purchases])
        rows.push(orderRow(BigInt(c), new Date((first + Math.floor(t * 7)) * 86_400_000 + 12 * 3600_000)));
    }
    // Cancelled and test orders do not count.
    rows.push({ ...orderRow(1n, new Date("2025-07-01T12:00:00Z")), test: true });
    rows.push({ ...orderRow(2n, new Date("2025-07-02T12:00:00Z")), cancelledAt: new Date("2025-07-03T12:00:00Z") });
    await db.order.createMany({ data: rows });
  });

  afterAll(() => db.$disconnect());

  it("builds the calibration from orders before the cut-off only, as summarise() does", async () => {
    const cutoff = "2026-09-01";
    const tuples = await queryRows(db, "pipeline/forecast/calibration-tuples.sql", SHOP, TZ, cutoff, AS_OF);
    const orders = await db.order.findMany({
      where: { shop: SHOP, test: false, cancelledAt: null },
      select: { customerId: true, processedAt: true },
    });
    const local = (d: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: TZ }).format(d);
    const { customers } = summarise(
      orders.map((o) => ({ customerId: String(o.customerId), day: epochDay(local(o.processedAt)), amount: 0 })),
      epochDay(cutoff) - 1,
      epochDay(AS_OF),
    );
    const expected = new Map<string, { customers: number; holdout: number }>();
    for (const c of customers) {
      const key = `${c.x}/${c.txDays}/${c.TDays}`;
      const hit = expected.get(key) ?? { customers: 0, holdout: 0 };
      expected.set(key, { customers: hit.customers + 1, holdout: hit.holdout + c.holdoutX });
    }
    expect(tuples).toHaveLength(expected.size);
    for (const t of tuples)
      expect(expected.get(`${t.x}/${t.txDays}/${t.TDays}`)).toEqual({
        customers: t.customers,
        holdout: t.holdoutRepeats,
      });
  });

  it("orders after the cut-off change nothing in the fit, only the actuals", async () => {
    const before = ClvBacktestJson.parse(await backtestPurchaseModel(db, SHOP, AS_OF, 3));
    expect(before.sufficient).toBe(true);
    if (!before.sufficient) return;
    // Three months before 30 November, the day after: 31 August … 30 November (92 days, 14 weeks started).
    expect(before.cutoff).toBe("2026-08-31");
    expect(before.cumulative).toHaveLength(14);
    expect(before.buckets.reduce((s, b) => s + b.customers, 0)).toBe(before.calibrationCustomers);

    // Repeat orders in the holdout — one 30 minutes into the cut-off day in the shop's time zone (still the
    // previous day in UTC) — and new customers after the cut-off.
    await db.order.createMany({
      data: [
        orderRow(5n, new Date("2026-08-30T22:30:00Z")),
        orderRow(6n, new Date("2026-10-10T12:00:00Z")),
        orderRow(9001n, new Date("2026-10-01T12:00:00Z")),
        orderRow(9001n, new Date("2026-11-01T12:00:00Z")),
      ],
    });
    const after = ClvBacktestJson.parse(await backtestPurchaseModel(db, SHOP, AS_OF, 3));
    if (!after.sufficient) throw new Error("back-test not sufficient");
    expect(after.params).toEqual(before.params);
    expect(after.ll).toBe(before.ll);
    expect(after.calibrationCustomers).toBe(before.calibrationCustomers);
    expect(after.distinctTuples).toBe(before.distinctTuples);
    expect(after.totalPredicted).toBe(before.totalPredicted);
    expect(after.totalActual).toBe(before.totalActual + 2);
    expect(Math.abs(after.totalErrorPct)).toBeLessThan(0.5);
  });

  it("says so when there are too few repeat customers", async () => {
    const result = ClvBacktestJson.parse(await backtestPurchaseModel(db, SHOP, "2025-06-20", 3));
    expect(result).toMatchObject({ sufficient: false });
    if (!result.sufficient) expect(["no_orders", "too_few_repeat_customers"]).toContain(result.reason);
  });
});
