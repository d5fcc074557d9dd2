import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import type { PgBoss } from "pg-boss";
import { createDb } from "../../app/platform/db.server";
import {
  aggregateContext,
  recomputeAggregates,
  recomputeShopAggregates,
} from "../../app/pipeline/aggregate/aggregates.server";
import { latestFullRun, runFullScoring } from "../../app/pipeline/score/scoring.server";
import { PREDICTION_MODEL, PREDICTION_UNIT, runPredictions } from "../../app/pipeline/predict/predictions.server";
import { GammaGammaJson, PredictionParams, PredictionSummary } from "../../app/pipeline/predict/prediction-shapes";
import { createBoss, JOB, sendShopJob } from "../../app/pipeline/jobs.server";
import { startWorker } from "../../app/pipeline/worker.server";
import { ShopNotInstalledError } from "../../app/shopify/admin-clients.server";
import { fitGammaGamma } from "../../app/domain/clv/gamma-gamma";
import { fitModel } from "../../app/domain/clv/model";
import { predictCustomers } from "../../app/domain/clv/predictions";
import { TRANSACTION_MODELS } from "../../app/domain/clv/registry";
import { seededRandom, simulateCustomer } from "../../app/domain/clv/simulate";
import { distinctTuples, summarise, type Transaction } from "../../app/domain/clv/summary";
import { epochDay, localDate } from "../../app/domain/rfm/dates";
import { DEFAULT_RFM_SETTINGS } from "../../app/domain/rfm/settings";
import { customerPrediction } from "../../app/pages/customer/customer-prediction.server";
import { formatters } from "../../app/i18n/format";
import { InvalidSettingsError, loadRfmSettings, saveRfmSettings } from "../../app/settings/settings.server";
import { waitFor } from "../support/wait";

/**
 * The prediction job against the pure engine: orders in the database, the job's stored predictions, and the domain's
 * summarise → fit → predict on the same orders (counted and merged per local day by this test, independently) must
 * agree for every customer. Shops whose data cannot carry a fit get a reason and no predictions.
 */

const url = process.env.DATABASE_URL as string;
const db = createDb(url, 4);
const pool = new pg.Pool({ connectionString: url, max: 2 });
const TZ = "America/New_York";
const AS_OF = "2026-11-20";
const DAY = 86_400_000;

interface TestOrder {
  id: bigint;
  customerId: bigint | null;
  at: Date;
  current: number;
  test: boolean;
  cancelled: boolean;
}

let nextId = 1n;

/** Customers simulated from MBG/NBD (in days), first orders over `historyDays` before AS_OF, with noise orders. */
function shopOrders(seed: number, customers: number, historyDays: number, params: number[]): TestOrder[] {
  const random = seededRandom(seed);
  const end = Date.parse(`${AS_OF}T16:00:00Z`);
  const orders: TestOrder[] = [];
  const order = (customerId: bigint | null, at: number, extra: Partial<TestOrder> = {}) =>
    orders.push({
      id: nextId++,
      customerId,
      at: new Date(at),
      current: Math.round(500 + random() ** 2 * 20_000) / 100,
      test: false,
      cancelled: false,
      ...extra,
    });
  for (let c = 1; c <= customers; c++) {
    const customerId = BigInt(c);
    const T = random() * historyDays;
    const first = end - T * DAY;
    order(customerId, first);
    for (const t of simulateCustomer(random, "mbgnbd", params, T).purchases) {
      order(customerId, first + t * DAY);
      // A second order the same local day is the same transaction.
      if (random() < 0.1) order(customerId, first + t * DAY + 60_000);
    }
    if (random() < 0.05) order(customerId, end - random() * historyDays * DAY, { test: true });
    if (random() < 0.05) order(customerId, end - random() * historyDays * DAY, { cancelled: true });
    // A zero-value (fully refunded) order counts, with net 0.
    if (random() < 0.03) order(customerId, end - random() * T * DAY, { current: 0 });
  }
  order(null, end - DAY);
  return orders;
}

async function seedShop(shop: string, orders: TestOrder[]) {
  await db.shop.create({ data: { shop, ianaTimezone: TZ } });
  await db.order.createMany({
    data: orders.map((o) => ({
      shop,
      id: o.id,
      customerId: o.customerId,
      createdAt: o.at,
      processedAt: o.at,
      shopifyUpdatedAt: o.at,
      cancelledAt: o.cancelled ? o.at : null,
      test: o.test,
      currency: "EUR",
      totalPrice: o.current.toFixed(2),
      currentTotalPrice: o.current.toFixed(2),
      totalRefunded: "0",
      discountCodes: [],
    })),
  });
  await recomputeShopAggregates(db, shop, new Date(`${AS_OF}T23:00:00Z`));
  await runFullScoring(db, shop, { asOf: AS_OF });
}

/** What the domain says about these orders, computed here from the raw list. */
function expectedPredictions(
  orders: TestOrder[],
  annualDiscountRate = DEFAULT_RFM_SETTINGS.predictions.annualDiscountRate,
) {
  const transactions: Transaction[] = orders
    .filter((o) => o.customerId !== null && !o.test && !o.cancelled)
    .map((o) => ({ customerId: String(o.customerId), day: epochDay(localDate(o.at, TZ)), amount: o.current }));
  const { customers } = summarise(transactions, epochDay(AS_OF), null);
  const fit = fitModel(TRANSACTION_MODELS[PREDICTION_MODEL], distinctTuples(customers, PREDICTION_UNIT));
  const spend = fitGammaGamma(customers.map((c) => ({ x: c.x, meanValue: c.meanRepeatValue })));
  const predictions = predictCustomers(fit.predictor, spend, customers, {
    unit: PREDICTION_UNIT,
    annualDiscountRate,
  });
  return { fit, spend, predictions, customers };
}

const close = (actual: number | null, expected: number | null) => {
  if (expected === null) return expect(actual).toBeNull();
  expect(actual).not.toBeNull();
  expect(Math.abs((actual ?? NaN) - expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)));
};

// MBG/NBD in days (CDNOW's weekly α × 7), a shop of about two years.
const PARAMS = [0.525, 6.183 * 7, 0.891, 1.614];
const FITTED = "fitted.myshopify.com";
const FEW_REPEATS = "few-repeats.myshopify.com";
const YOUNG = "young-shop.myshopify.com";
const fittedOrders = shopOrders(17, 600, 700, PARAMS);

beforeAll(async () => {
  await seedShop(FITTED, fittedOrders);
  // Mostly one-time buyers: a dozen repeat customers.
  await seedShop(FEW_REPEATS, shopOrders(18, 40, 700, [0.1, 6.183 * 7, 0.891, 1.614]));
  // Plenty of repeat customers, all within the last two months.
  await seedShop(YOUNG, shopOrders(19, 400, 60, [2, 10, 0.5, 5]));
}, 120_000);

afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

describe("prediction run (rfm.predict)", () => {
  it("GIVEN a shop with enough history WHEN the job runs THEN every customer's stored prediction equals the pure engine's on the same orders", async () => {
    const outcome = await runPredictions({ db, pool }, FITTED);
    const expected = expectedPredictions(fittedOrders);
    expect(outcome?.sufficient).toBe(true);
    expect(outcome?.predictions).toBe(expected.predictions.length);

    const run = await db.predictionRun.findFirstOrThrow({ where: { shop: FITTED }, orderBy: { id: "desc" } });
    const scoring = await latestFullRun(db, FITTED);
    expect(run).toMatchObject({
      scoringRunId: scoring?.id,
      model: "mbgnbd",
      unit: "week",
      sufficient: true,
      reason: null,
      converged: true,
      customers: expected.customers.length,
      repeatCustomers: expected.customers.filter((c) => c.x > 0).length,
      distinctTuples: expected.fit.distinctTuples,
    });
    close(run.ll, expected.fit.ll);
    for (const [name, value] of Object.entries(expected.fit.params))
      close((run.params as Record<string, number>)[name] ?? null, value);
    expect(run.gammaGamma).toMatchObject({
      customers: expected.spend?.customers,
      nonPositive: expected.spend?.nonPositive,
    });
    expect(expected.spend?.nonPositive).toBeGreaterThan(0);
    close(run.spendCorrelation, expected.spend?.frequencyValueCorrelation ?? null);
    expect(run.finishedAt).not.toBeNull();

    const stored = new Map(
      (await db.customerPrediction.findMany({ where: { shop: FITTED } })).map((r) => [String(r.customerId), r]),
    );
    expect(stored.size).toBe(expected.predictions.length);
    for (const p of expected.predictions) {
      const row = stored.get(p.customerId);
      expect(row?.runId).toBe(run.id);
      close(row?.pAlive ?? null, p.pAlive);
      close(row?.expectedOrders90 ?? null, p.expectedOrders90);
      close(row?.expectedOrders365 ?? null, p.expectedOrders365);
      close(row?.pOrder30 ?? null, p.pOrder30);
      close(row?.pNoOrder90 ?? null, p.pNoOrder90);
      close(row?.expectedAverageValue ?? null, p.expectedAverageValue);
      close(row?.predictedValue12m ?? null, p.predictedValue12m);
    }

    // The dashboard's figure per segment, stored with the run.
    const summary = PredictionSummary.parse(run.summary);
    const total = expected.predictions.reduce((s, p) => s + (p.predictedValue12m ?? 0), 0);
    close(summary.predictedValue12m, total);
    expect(summary.segments.reduce((n, s) => n + s.customers, 0)).toBe(
      await db.customerScore.count({ where: { shop: FITTED } }),
    );
  });

  it("GIVEN order days kept in another time zone, not kept, or counting orders after the scoring date THEN those customers' orders are read and every prediction still equals the pure engine's", async () => {
    const shop = "kept-days.myshopify.com";
    // FITTED's customers again (a shop whose Gamma-Gamma fit is well posed), under new order ids.
    const orders = shopOrders(17, 600, 700, PARAMS);
    await seedShop(shop, orders);
    // Orders two days after the scoring date (the next webhooks): the kept days count them, the summary must not.
    const lateIds = [1n, 2n, 3n, 4n];
    const late = lateIds.map((customerId) => ({
      id: nextId++,
      customerId,
      at: new Date(Date.parse(`${AS_OF}T16:00:00Z`) + 2 * DAY),
      current: 42,
      test: false,
      cancelled: false,
    }));
    await db.order.createMany({
      data: late.map((o) => ({
        shop,
        id: o.id,
        customerId: o.customerId,
        createdAt: o.at,
        processedAt: o.at,
        shopifyUpdatedAt: o.at,
        currency: "EUR",
        totalPrice: "42",
        currentTotalPrice: "42",
        totalRefunded: "0",
        discountCodes: [],
      })),
    });
    await recomputeAggregates(db, shop, lateIds, await aggregateContext(db, shop));
    // Days kept in another zone (the shop's zone changed since) and days never kept (rows from before the columns):
    // wrong numbers in both, so a read that trusted them would disagree below.
    await db.customerAggregate.updateMany({
      where: { shop, customerId: { gt: 10n, lte: 100n } },
      data: { orderDaysZone: "Asia/Tokyo", orderDays: 99, firstDayNet: "0" },
    });
    await db.customerAggregate.updateMany({
      where: { shop, customerId: { gt: 100n, lte: 200n } },
      data: { orderDaysZone: null, orderDays: null, firstDayNet: null },
    });
    const kept = await db.customerAggregate.count({ where: { shop, orderCount: { gt: 1 }, orderDaysZone: TZ } });
    expect(kept).toBeGreaterThan(50);

    const outcome = await runPredictions({ db, pool }, shop);
    const expected = expectedPredictions(orders);
    expect(outcome?.sufficient).toBe(true);
    const run = await db.predictionRun.findFirstOrThrow({ where: { shop }, orderBy: { id: "desc" } });
    expect(run).toMatchObject({
      customers: expected.customers.length,
      repeatCustomers: expected.customers.filter((c) => c.x > 0).length,
      distinctTuples: expected.fit.distinctTuples,
    });
    close(run.ll, expected.fit.ll);
    const stored = new Map(
      (await db.customerPrediction.findMany({ where: { shop } })).map((r) => [String(r.customerId), r]),
    );
    expect(stored.size).toBe(expected.predictions.length);
    for (const p of expected.predictions) {
      const row = stored.get(p.customerId);
      close(row?.pAlive ?? null, p.pAlive);
      close(row?.expectedOrders365 ?? null, p.expectedOrders365);
      close(row?.expectedAverageValue ?? null, p.expectedAverageValue);
      close(row?.predictedValue12m ?? null, p.predictedValue12m);
    }
  });

  it("GIVEN a shop large enough for its own partition WHEN it is predicted twice THEN the second run's rows replace the first's in a partition of its own", async () => {
    const first = await runPredictions({ db, pool }, FITTED, { ownPartitionFrom: 100 });
    const second = await runPredictions({ db, pool }, FITTED, { ownPartitionFrom: 100 });
    expect(first?.predictions).toBeGreaterThan(100);
    const rows = await db.customerPrediction.groupBy({ by: ["runId"], where: { shop: FITTED }, _count: true });
    expect(rows).toEqual([{ runId: second?.runId, _count: second?.predictions }]);
    const partitions = await db.$queryRawUnsafe<{ name: string }[]>(
      `SELECT c.relname::text AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = '"CustomerPrediction"'::regclass AND c.relname LIKE 'CustomerPrediction\\_%' AND c.relname <> 'CustomerPrediction_default'`,
    );
    expect(partitions.map((p) => p.name)).toEqual([expect.stringMatching(new RegExp(`_${second?.runId}$`))]);
    const expected = expectedPredictions(fittedOrders);
    const stored = await db.customerPrediction.findMany({ where: { shop: FITTED } });
    const byId = new Map(expected.predictions.map((p) => [p.customerId, p]));
    for (const row of stored) close(row.predictedValue12m, byId.get(String(row.customerId))?.predictedValue12m ?? NaN);
    // Back under the threshold: the rows go back through the shared path into the shop's partition.
    const third = await runPredictions({ db, pool }, FITTED);
    expect(await db.customerPrediction.count({ where: { shop: FITTED, runId: third?.runId } })).toBe(
      third?.predictions,
    );
    expect(await db.customerPrediction.count({ where: { shop: FITTED } })).toBe(third?.predictions);
  });

  it("GIVEN the merchant sets a 25 % discount rate THEN the next run stores the values at 25 % and the customer page's sentence says the rate its values were discounted at", async () => {
    const settings = await loadRfmSettings(db, FITTED);
    // Out of range is refused, nothing stored.
    await expect(
      saveRfmSettings(db, FITTED, { ...settings, predictions: { annualDiscountRate: 0.6 } }),
    ).rejects.toBeInstanceOf(InvalidSettingsError);
    await runPredictions({ db, pool }, FITTED);
    const atDefault = new Map(
      (await db.customerPrediction.findMany({ where: { shop: FITTED } })).map((r) => [r.customerId, r]),
    );
    const fmt = formatters("en-US", "EUR", TZ);
    const customerId = [...atDefault.values()].find((r) => r.predictedValue12m !== null)?.customerId ?? 0n;
    const aggregate = await db.customerAggregate.findUniqueOrThrow({
      where: { shop_customerId: { shop: FITTED, customerId } },
    });
    const sentence = async () => {
      const view = await customerPrediction(db, FITTED, customerId, aggregate, {
        asOf: AS_OF,
        timezone: TZ,
        language: "en",
        fmt,
      });
      return view.kind === "shown" ? view.facts.find((f) => f.key === "predictedValue12m")?.explanation : undefined;
    };
    expect(await sentence()).toContain("discounted to today at 10% a year");

    await saveRfmSettings(db, FITTED, { ...settings, predictions: { annualDiscountRate: 0.25 } });
    // Until the next run the stored values (and their sentence) are still the 10 % ones.
    expect(await sentence()).toContain("at 10% a year");
    const outcome = await runPredictions({ db, pool }, FITTED);
    const run = await db.predictionRun.findUniqueOrThrow({
      where: { shop_id: { shop: FITTED, id: outcome?.runId ?? 0n } },
    });
    expect(run.annualDiscountRate).toBe(0.25);
    const expected = new Map(expectedPredictions(fittedOrders, 0.25).predictions.map((p) => [p.customerId, p]));
    const stored = await db.customerPrediction.findMany({ where: { shop: FITTED } });
    expect(stored.length).toBe(expected.size);
    let lower = 0;
    for (const row of stored) {
      const before = atDefault.get(row.customerId);
      close(row.predictedValue12m, expected.get(String(row.customerId))?.predictedValue12m ?? NaN);
      // The rate discounts the value only: P(alive) and the expected orders are the same.
      close(row.pAlive, before?.pAlive ?? NaN);
      close(row.expectedOrders365, before?.expectedOrders365 ?? NaN);
      if (row.predictedValue12m !== null && row.predictedValue12m < (before?.predictedValue12m ?? 0)) lower++;
    }
    expect(lower).toBeGreaterThan(0);
    expect(await sentence()).toContain("discounted to today at 25% a year");
    const nl = await customerPrediction(db, FITTED, customerId, aggregate, {
      asOf: AS_OF,
      timezone: TZ,
      language: "nl",
      fmt: formatters("nl-NL", "EUR", TZ),
    });
    expect(nl.kind === "shown" ? nl.facts.at(-1)?.explanation : "").toContain("met 25% rente per jaar");
    await saveRfmSettings(db, FITTED, settings);
  });

  it("GIVEN a generated shop WHEN the set-based store runs (shared and own partition) THEN every customer's row is the per-customer computation with the run's own fit", async () => {
    const { customers } = expectedPredictions(fittedOrders);
    for (const ownPartitionFrom of [undefined, 100]) {
      const outcome = await runPredictions({ db, pool }, FITTED, { ownPartitionFrom });
      const run = await db.predictionRun.findFirstOrThrow({ where: { shop: FITTED, id: outcome?.runId } });
      const model = TRANSACTION_MODELS[PREDICTION_MODEL];
      const params = PredictionParams.parse(run.params);
      const predictor = model.predictor(model.paramNames.map((name) => params[name] ?? NaN));
      const spend = GammaGammaJson.parse(run.gammaGamma);
      // Customer by customer, each computing its own forecast (no tuple shared).
      const perCustomer = customers.map(
        (c) =>
          predictCustomers(predictor, spend, [c], {
            unit: PREDICTION_UNIT,
            annualDiscountRate: run.annualDiscountRate,
          })[0],
      );
      const stored = new Map(
        (await db.customerPrediction.findMany({ where: { shop: FITTED } })).map((r) => [String(r.customerId), r]),
      );
      expect(stored.size).toBe(customers.length);
      for (const p of perCustomer) {
        const row = stored.get(p?.customerId ?? "");
        expect(row?.runId).toBe(run.id);
        // The purchase model sees whole days only: the same doubles.
        expect(row?.pAlive).toBe(p?.pAlive);
        expect(row?.expectedOrders90).toBe(p?.expectedOrders90);
        expect(row?.expectedOrders365).toBe(p?.expectedOrders365);
        expect(row?.pOrder30).toBe(p?.pOrder30);
        expect(row?.pNoOrder90).toBe(p?.pNoOrder90);
        // The mean repeat value is summed here in doubles, there in numeric: equal to the last bits.
        const near = (a: number | null | undefined, b: number | null | undefined) =>
          expect(Math.abs((a ?? NaN) - (b ?? NaN))).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b ?? NaN)));
        near(row?.expectedAverageValue, p?.expectedAverageValue);
        near(row?.predictedValue12m, p?.predictedValue12m);
      }
    }
  });

  it("GIVEN too few repeat customers THEN the run says so and stale predictions are gone", async () => {
    await db.customerPrediction.create({
      data: {
        shop: FEW_REPEATS,
        customerId: 1n,
        runId: 0n,
        pAlive: 0.5,
        expectedOrders90: 1,
        expectedOrders365: 2,
        pOrder30: 0.2,
        pNoOrder90: 0.4,
      },
    });
    const outcome = await runPredictions({ db, pool }, FEW_REPEATS);
    expect(outcome).toMatchObject({ sufficient: false, reason: "too_few_repeat_customers", predictions: 0 });
    const run = await db.predictionRun.findFirstOrThrow({ where: { shop: FEW_REPEATS } });
    expect(run).toMatchObject({ sufficient: false, reason: "too_few_repeat_customers", params: null, summary: null });
    expect(run.repeatCustomers).toBeLessThan(50);
    expect(await db.customerPrediction.count({ where: { shop: FEW_REPEATS } })).toBe(0);
    // Other shops' predictions are untouched.
    expect(await db.customerPrediction.count({ where: { shop: FITTED } })).toBeGreaterThan(0);
  });

  it("GIVEN less than three months of history THEN the history is too short, however many repeat customers", async () => {
    const outcome = await runPredictions({ db, pool }, YOUNG);
    expect(outcome).toMatchObject({ sufficient: false, reason: "history_too_short", predictions: 0 });
    const run = await db.predictionRun.findFirstOrThrow({ where: { shop: YOUNG } });
    expect(run.repeatCustomers).toBeGreaterThanOrEqual(50);
    expect(await db.customerPrediction.count({ where: { shop: YOUNG } })).toBe(0);
  });

  it("GIVEN a shop without a full scoring run THEN there is nothing to predict from", async () => {
    expect(await runPredictions({ db, pool }, "never-scored.myshopify.com")).toBeNull();
  });

  it("GIVEN the worker WHEN a full scoring run finishes THEN rfm.predict follows it and fits on that run", async () => {
    let boss: PgBoss | undefined;
    try {
      boss = await createBoss(url, 4);
      await startWorker(boss, {
        db,
        pool,
        adminFor: (shop) => Promise.reject(new ShopNotInstalledError(shop)),
      });
      const before = await db.predictionRun.count({ where: { shop: FITTED } });
      const scoredBefore = await latestFullRun(db, FITTED);
      await sendShopJob(boss, JOB.rfmScore, FITTED);
      const run = await waitFor(
        "a prediction run after the new full run",
        async () => {
          const runs = await db.predictionRun.findMany({
            where: { shop: FITTED, finishedAt: { not: null } },
            orderBy: { id: "desc" },
          });
          return runs.length > before ? runs[0] : undefined;
        },
        90_000,
        250,
      );
      const scored = await latestFullRun(db, FITTED);
      expect(scored?.id).not.toBe(scoredBefore?.id);
      expect(run.scoringRunId).toBe(scored?.id);
      expect(run.sufficient).toBe(true);
    } finally {
      await boss?.stop({ graceful: false });
    }
  }, 120_000);
});
