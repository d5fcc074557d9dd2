import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createDb } from "../../app/platform/db.server";
import { logger } from "../../app/platform/logger.server";
import { createAdminClient, type AdminClient } from "../../app/shopify/admin-client.server";
import {
  aggregateContext,
  recomputeAggregates,
  recomputeShopAggregates,
} from "../../app/pipeline/aggregate/aggregates.server";
import { latestFullRun, runFullScoring, runIncrementalScoring } from "../../app/pipeline/score/scoring.server";
import { queueRescore } from "../../app/pipeline/score/rescore-queue.server";
import { runPredictions } from "../../app/pipeline/predict/predictions.server";
import { applyPredictions } from "../../app/pipeline/score/apply-predictions.server";
import { runWriteBack } from "../../app/pipeline/write-back/write-back.server";
import { loadRfmSettings, saveRfmSettings } from "../../app/settings/settings.server";
import { seededRandom, simulateCustomer } from "../../app/domain/clv/simulate";
import { parseMoney } from "../../app/domain/money";
import { SegmentKey } from "../../app/domain/rfm/segments";
import {
  PREDICTION_BEHAVIOURS,
  expectedOrdersBandOf,
  pAliveBandOf,
  predictionBehavioursOf,
  valueTierOf,
  valueTierThresholdsOf,
} from "../../app/domain/rfm/prediction-bands";
import { RunStats, RunSummary } from "../../app/pipeline/score/run-shapes";
import { startAdminEmulator, type AdminEmulator } from "../emulator/server";
import { routeShopifyToEmulator } from "../emulator/shopify-origin-routing";
import { TEST_APP } from "../setup/test-app";

/**
 * Predictions in Shopify: the prediction job's rows become bands and the three prediction behaviours on the scores,
 * and the write-back puts their tags, Shopify segments and band metafields in the emulator. Predictions that drift
 * inside their bands write nothing; a band change writes only that customer.
 */

const SHOP = "prediction-write-back.myshopify.com";
const url = process.env.DATABASE_URL as string;
const db = createDb(url, 4);
const pool = new pg.Pool({ connectionString: url, max: 2 });
const TZ = "Europe/Amsterdam";
const AS_OF = "2026-11-20";
const DAY = 86_400_000;
const CUSTOMERS = 260;
// MBG/NBD in days (CDNOW's weekly α × 7), as the prediction job's own test.
const PARAMS = [0.525, 6.183 * 7, 0.891, 1.614];

let emulator: AdminEmulator;
let admin: AdminClient;
let clock = Date.now();
const sleep = async (ms: number) => {
  clock += ms;
};
const deps = () => ({ db, admin, logger, sleep, sleepReal: async () => {}, now: () => clock });
const metafieldsOf = (id: bigint) =>
  Object.fromEntries(emulator.shop(SHOP).customerMetafields.get(Number(id)) ?? new Map<string, string>());
const calls = () => emulator.log.filter((l) => l.shop === SHOP).length;
const snapshot = () =>
  new Map([...emulator.shop(SHOP).customerMetafields].map(([id, m]) => [id, JSON.stringify([...m].sort())]));
const tagsOf = (id: bigint) => {
  const shop = emulator.shop(SHOP);
  for (const c of shop.dataset.customers()) if (c.id === Number(id)) return shop.customerTagList(c);
  return [];
};

async function seedOrders(customerIds: bigint[]) {
  const random = seededRandom(29);
  const end = Date.parse(`${AS_OF}T12:00:00Z`);
  let id = 1n;
  const orders: { id: bigint; customerId: bigint; at: Date; amount: string }[] = [];
  for (const customerId of customerIds) {
    const T = random() * 700;
    const first = end - T * DAY;
    const amount = () => (Math.round(1_000 + random() ** 2 * 30_000) / 100).toFixed(2);
    orders.push({ id: id++, customerId, at: new Date(first), amount: amount() });
    for (const t of simulateCustomer(random, "mbgnbd", PARAMS, T).purchases)
      orders.push({ id: id++, customerId, at: new Date(first + t * DAY), amount: amount() });
  }
  await db.order.createMany({
    data: orders.map((o) => ({
      shop: SHOP,
      id: o.id,
      customerId: o.customerId,
      createdAt: o.at,
      processedAt: o.at,
      shopifyUpdatedAt: o.at,
      test: false,
      currency: "EUR",
      totalPrice: o.amount,
      currentTotalPrice: o.amount,
      totalRefunded: "0",
      discountCodes: [],
    })),
  });
}

beforeAll(async () => {
  emulator = await startAdminEmulator({
    app: TEST_APP,
    shops: [
      { domain: SHOP, name: "Predictions", plan: "standard", dataset: { customers: CUSTOMERS, orders: 0, seed: 9 } },
    ],
  });
  routeShopifyToEmulator(emulator.url);
  const shop = emulator.shop(SHOP);
  shop.grantedScopes = TEST_APP.scopes.split(",");
  shop.setRestoreRate(100, () => clock);
  admin = createAdminClient({
    shop: SHOP,
    accessToken: shop.issueToken(TEST_APP.scopes, false).access_token,
    logger,
    sleep,
  });
  await db.shop.create({ data: { shop: SHOP, ianaTimezone: TZ } });
  const settings = await loadRfmSettings(db, SHOP);
  await saveRfmSettings(db, SHOP, {
    ...settings,
    // Loose enough that each behaviour has members in a few hundred simulated customers.
    behaviours: { ...settings.behaviours, churnMaxPAlive: 0.6, orderSoonMinP: 0.2 },
    writeBack: { ...settings.writeBack, behaviourTags: [...PREDICTION_BEHAVIOURS] },
  });
  await seedOrders([...shop.dataset.customers()].map((c) => BigInt(c.id)));
  await recomputeShopAggregates(db, SHOP, new Date(`${AS_OF}T23:00:00Z`));
  await runFullScoring(db, SHOP, { asOf: AS_OF });
}, 180_000);

afterAll(async () => {
  await emulator?.close();
  await pool.end();
  await db.$disconnect();
});

describe("prediction bands and behaviours in Shopify", () => {
  it("GIVEN a fitted shop WHEN predictions are applied and written back THEN each customer's bands, behaviours, tags, segments and band metafields follow the rules", async () => {
    const predicted = await runPredictions({ db, pool }, SHOP);
    expect(predicted?.sufficient).toBe(true);
    const applied = await applyPredictions(db, SHOP);
    const predictions = await db.customerPrediction.findMany({ where: { shop: SHOP } });
    expect(predictions.length).toBe(CUSTOMERS);
    // The SQL tiers are the pure rule's.
    const thresholds = valueTierThresholdsOf(
      predictions.flatMap((p) => (p.predictedValue12m === null ? [] : [p.predictedValue12m])),
    );
    expect(applied.thresholds).toEqual(thresholds);

    const settings = await loadRfmSettings(db, SHOP);
    const run = await latestFullRun(db, SHOP);
    const stats = RunStats.parse(run?.stats);
    const highValueMinSpend = stats.highValueMinSpend === null ? null : parseMoney(stats.highValueMinSpend);
    const aggregates = new Map(
      (await db.customerAggregate.findMany({ where: { shop: SHOP } })).map((a) => [a.customerId, a.netSpend]),
    );
    const scores = new Map((await db.customerScore.findMany({ where: { shop: SHOP } })).map((s) => [s.customerId, s]));
    const members: Record<string, number> = {};
    for (const p of predictions) {
      const score = scores.get(p.customerId);
      if (!score) throw new Error(`no score for ${p.customerId}`);
      const valueTier = p.predictedValue12m === null ? null : valueTierOf(p.predictedValue12m, thresholds);
      const bands = { p: pAliveBandOf(p.pAlive), v: valueTier, o: expectedOrdersBandOf(p.expectedOrders365) };
      expect({ p: score.pAliveBand, v: score.valueTier, o: score.ordersBand }).toEqual(bands);
      const wanted = predictionBehavioursOf(
        {
          segment: SegmentKey.parse(score.segment),
          lifetimeSpend: parseMoney(aggregates.get(p.customerId)?.toFixed(4) ?? "0"),
          pAlive: p.pAlive,
          pOrder30: p.pOrder30,
          valueTier,
        },
        { highValueMinSpend, settings: settings.behaviours },
      );
      expect(score.behaviours.filter((b) => (PREDICTION_BEHAVIOURS as readonly string[]).includes(b))).toEqual(wanted);
      for (const b of wanted) members[b] = (members[b] ?? 0) + 1;
    }
    for (const b of PREDICTION_BEHAVIOURS) expect(members[b] ?? 0, b).toBeGreaterThan(0);
    expect(applied.changed).toBe(CUSTOMERS);
    // The run's summary (behaviour pages, dashboard) counts the behaviours this job set, not none.
    const summary = RunSummary.parse(run?.summary);
    for (const b of PREDICTION_BEHAVIOURS) {
      const holders = [...scores.values()].filter((s) => s.behaviours.includes(b));
      expect(summary.behaviours[b]?.customers, b).toBe(members[b]);
      expect(stats.behaviours[b], b).toBe(members[b]);
      expect(summary.behaviours[b]?.orders, b).toBe(holders.reduce((n, s) => n + s.frequency, 0));
      expect(Number(summary.behaviours[b]?.revenue), b).toBeCloseTo(
        holders.reduce((n, s) => n + Number(s.monetary), 0),
        2,
      );
      expect(summary.consent?.behaviours[b], b).toBeDefined();
    }

    const outcome = await runWriteBack(deps(), SHOP);
    expect(outcome.metafields.failures).toEqual([]);
    expect(outcome.tags.failures).toEqual([]);
    for (const s of await db.customerScore.findMany({ where: { shop: SHOP } })) {
      expect(metafieldsOf(s.customerId)).toMatchObject({
        "rfm.segment": s.segment,
        "rfm.p_alive": s.pAliveBand,
        "rfm.predicted_value_12m": s.valueTier,
        "rfm.expected_orders_365": s.ordersBand,
      });
      const tags = tagsOf(s.customerId);
      for (const b of PREDICTION_BEHAVIOURS)
        expect(tags.includes(`rfm-${b.replaceAll("_", "-")}`), `${s.customerId} ${b}`).toBe(s.behaviours.includes(b));
    }
    const definitions = emulator.shop(SHOP).metafieldDefinitions;
    for (const key of ["p_alive", "predicted_value_12m", "expected_orders_365"])
      expect(definitions.get(`rfm.${key}`)?.type).toBe("single_line_text_field");
    const queries = [...emulator.shop(SHOP).segments.values()].map((s) => s.query);
    for (const tag of ["rfm-likely-to-churn", "rfm-rising-star", "rfm-ordering-soon"])
      expect(queries).toContain(`customer_tags CONTAINS '${tag}'`);
  });

  it("GIVEN a second prediction run that moves values only inside their bands THEN nothing changes and the write-back makes no call", async () => {
    const settings = await loadRfmSettings(db, SHOP);
    const rows = await db.customerPrediction.findMany({ where: { shop: SHOP } });
    const mid = (band: string | null, lo: (b: string) => number) => (band === null ? null : lo(band));
    for (const p of rows) {
      // Halfway to the band's lower edge: still in the same band; values scaled alike keep every rank (and tier).
      const pLow = mid(pAliveBandOf(p.pAlive), (b) => Number(b.split("-")[0]) / 100) ?? p.pAlive;
      const oLow = mid(expectedOrdersBandOf(p.expectedOrders365), (b) => Number(b.replace("+", "").split("-")[0])) ?? 0;
      const soon = settings.behaviours.orderSoonMinP;
      await db.customerPrediction.update({
        where: { shop_customerId: { shop: SHOP, customerId: p.customerId } },
        data: {
          pAlive: (p.pAlive + pLow) / 2,
          expectedOrders365: (p.expectedOrders365 + oLow) / 2,
          // Toward the threshold, never across it.
          pOrder30: p.pOrder30 >= soon ? (p.pOrder30 + soon) / 2 : p.pOrder30 / 2,
          predictedValue12m: p.predictedValue12m === null ? null : p.predictedValue12m * 1.01,
        },
      });
    }
    // Likely to churn reads P(alive) below a threshold: halfway to the band's lower edge keeps its side too,
    // unless the threshold sits inside a band (0.6 is an edge).
    const before = await db.customerScore.findMany({ where: { shop: SHOP }, orderBy: { customerId: "asc" } });
    expect((await applyPredictions(db, SHOP)).changed).toBe(0);
    expect(await db.customerScore.findMany({ where: { shop: SHOP }, orderBy: { customerId: "asc" } })).toEqual(before);
    expect(await db.writeBackPending.count({ where: { shop: SHOP } })).toBe(0);
    const n = calls();
    const outcome = await runWriteBack(deps(), SHOP);
    expect(outcome.scope).toBe("changed");
    expect(calls()).toBe(n);
  });

  it("GIVEN one customer's P(alive) moving to another band THEN only that customer is marked and written, and the behaviour stay that ended is history", async () => {
    const target = await db.customerScore.findFirstOrThrow({
      where: { shop: SHOP, behaviours: { has: "ordering_soon" }, NOT: { pAliveBand: "0-10" } },
      orderBy: { customerId: "asc" },
    });
    // The stay began earlier, so its end is history (one begun and ended the same day is not).
    const since = target.behaviours.map((b) =>
      b === "ordering_soon" ? new Date("2026-11-01T00:00:00Z") : new Date(`${AS_OF}T00:00:00Z`),
    );
    await db.customerScore.update({
      where: { shop_customerId: { shop: SHOP, customerId: target.customerId } },
      data: { behaviourSince: since },
    });
    await db.customerPrediction.update({
      where: { shop_customerId: { shop: SHOP, customerId: target.customerId } },
      data: { pAlive: 0.05, pOrder30: 0.01 },
    });
    const applied = await applyPredictions(db, SHOP);
    expect(applied.changed).toBe(1);
    expect((await db.writeBackPending.findMany({ where: { shop: SHOP } })).map((p) => p.customerId)).toEqual([
      target.customerId,
    ]);
    const after = await db.customerScore.findUniqueOrThrow({
      where: { shop_customerId: { shop: SHOP, customerId: target.customerId } },
    });
    expect(after.pAliveBand).toBe("0-10");
    expect(after.behaviours).not.toContain("ordering_soon");
    expect(
      await db.segmentMembership.findMany({
        where: { shop: SHOP, customerId: target.customerId, kind: "behaviour" },
        select: { segment: true, validFrom: true, validTo: true },
      }),
    ).toEqual([
      {
        segment: "ordering_soon",
        validFrom: new Date("2026-11-01T00:00:00Z"),
        validTo: new Date(`${AS_OF}T00:00:00Z`),
      },
    ]);

    const metafieldsBefore = snapshot();
    const tagWrites = emulator.shop(SHOP).tagWrites.length;
    const outcome = await runWriteBack(deps(), SHOP);
    expect(outcome).toMatchObject({
      scope: "changed",
      metafields: { customersChanged: 1 },
      tags: { customersChanged: 1 },
    });
    const metafieldsAfter = snapshot();
    const changed = [...metafieldsAfter].filter(([id, v]) => metafieldsBefore.get(id) !== v).map(([id]) => id);
    expect(changed).toEqual([Number(target.customerId)]);
    expect(metafieldsOf(target.customerId)["rfm.p_alive"]).toBe("0-10");
    expect(
      new Set(
        emulator
          .shop(SHOP)
          .tagWrites.slice(tagWrites)
          .map((w) => w.customerId),
      ),
    ).toEqual(new Set([Number(target.customerId)]));
    expect(tagsOf(target.customerId)).not.toContain("rfm-ordering-soon");
  });

  it("GIVEN a new full scoring run THEN the prediction behaviours and bands stay as the prediction job set them", async () => {
    const before = await db.customerScore.findMany({
      where: { shop: SHOP },
      select: {
        customerId: true,
        behaviours: true,
        behaviourSince: true,
        pAliveBand: true,
        valueTier: true,
        ordersBand: true,
      },
      orderBy: { customerId: "asc" },
    });
    await runFullScoring(db, SHOP, { asOf: "2026-11-21" });
    const after = await db.customerScore.findMany({
      where: { shop: SHOP },
      select: {
        customerId: true,
        behaviours: true,
        behaviourSince: true,
        pAliveBand: true,
        valueTier: true,
        ordersBand: true,
      },
      orderBy: { customerId: "asc" },
    });
    const prediction = (rows: typeof before) =>
      rows.map((r) => ({
        id: r.customerId,
        behaviours: r.behaviours.filter((b) => (PREDICTION_BEHAVIOURS as readonly string[]).includes(b)),
        bands: [r.pAliveBand, r.valueTier, r.ordersBand],
      }));
    expect(prediction(after)).toEqual(prediction(before));
    expect(after.some((r) => r.behaviours.some((b) => (PREDICTION_BEHAVIOURS as readonly string[]).includes(b)))).toBe(
      true,
    );
  });

  it("GIVEN a rising star who then orders a lot WHEN the order's re-score and the next daily run score them Champions THEN rising star stays until the next prediction run, which drops it", async () => {
    const stars = await db.customerScore.findMany({
      where: { shop: SHOP, behaviours: { has: "rising_star" } },
      orderBy: { customerId: "asc" },
    });
    expect(stars.length).toBeGreaterThan(0);
    const star = stars[0];
    if (!star) throw new Error("no rising star");
    const day = "2026-11-22";
    // Six large orders in the last ten days: R, F and M at the top.
    await db.order.createMany({
      data: Array.from({ length: 6 }, (_, i) => {
        const at = new Date(Date.parse(`${day}T10:00:00Z`) - i * 2 * DAY);
        return {
          shop: SHOP,
          id: 1_000_000n + BigInt(i),
          customerId: star.customerId,
          createdAt: at,
          processedAt: at,
          shopifyUpdatedAt: at,
          test: false,
          currency: "EUR",
          totalPrice: "900.00",
          currentTotalPrice: "900.00",
          totalRefunded: "0",
          discountCodes: [],
        };
      }),
    });
    // As the orders/create webhook does: this customer's aggregate, and a re-score queued with it.
    await db.$transaction(async (tx) => {
      await recomputeAggregates(
        tx,
        SHOP,
        [star.customerId],
        await aggregateContext(tx, SHOP, new Date(`${day}T23:00:00Z`)),
      );
      await queueRescore(tx, SHOP, [star.customerId]);
    });
    const predictionBehaviours = async () =>
      new Map(
        (await db.customerScore.findMany({ where: { shop: SHOP }, orderBy: { customerId: "asc" } })).map((s) => [
          s.customerId,
          {
            segment: s.segment,
            kept: s.behaviours
              .map((b, i) => [b, s.behaviourSince[i]?.toISOString().slice(0, 10)] as const)
              .filter(([b]) => (PREDICTION_BEHAVIOURS as readonly string[]).includes(b)),
          },
        ]),
      );
    const before = await predictionBehaviours();
    const kept = (rows: typeof before) => [...rows].map(([id, r]) => [id, r.kept]);

    const incremental = await runIncrementalScoring(db, SHOP, { asOf: day });
    expect(incremental?.customers).toBe(1);
    const afterOrder = await predictionBehaviours();
    expect(["champions", "loyal"]).toContain(afterOrder.get(star.customerId)?.segment);
    expect(afterOrder.get(star.customerId)?.segment).not.toBe(before.get(star.customerId)?.segment);
    expect(kept(afterOrder)).toEqual(kept(before));

    // The daily run the next morning: changes only (the star is in its scope), the prediction behaviours as they were.
    await runFullScoring(db, SHOP, { asOf: day });
    const afterDaily = await predictionBehaviours();
    expect(["champions", "loyal"]).toContain(afterDaily.get(star.customerId)?.segment);
    expect(kept(afterDaily)).toEqual(kept(before));
    expect(afterDaily.get(star.customerId)?.kept.map(([b]) => b)).toContain("rising_star");

    // The next prediction run recomputes them: a Champion or Loyal customer is no rising star any more.
    expect((await runPredictions({ db, pool }, SHOP))?.sufficient).toBe(true);
    await applyPredictions(db, SHOP);
    const recomputed = await db.customerScore.findUniqueOrThrow({
      where: { shop_customerId: { shop: SHOP, customerId: star.customerId } },
    });
    expect(recomputed.behaviours).not.toContain("rising_star");
    expect(
      await db.segmentMembership.count({
        where: { shop: SHOP, customerId: star.customerId, kind: "behaviour", segment: "rising_star" },
      }),
    ).toBeGreaterThan(0);
    // Shopify follows (the next test starts from a written-back shop).
    expect((await runWriteBack(deps(), SHOP)).tags.failures).toEqual([]);
    expect(tagsOf(star.customerId)).not.toContain("rfm-rising-star");
  });

  it("GIVEN the predictions gone (a run with too little data) THEN bands, prediction behaviours, their tags and band metafields go", async () => {
    const bands = (await db.customerScore.findMany({ where: { shop: SHOP } })).flatMap((s) =>
      [s.pAliveBand, s.valueTier, s.ordersBand].filter((b) => b !== null),
    ).length;
    expect(bands).toBeGreaterThan(CUSTOMERS * 2);
    await db.customerPrediction.deleteMany({ where: { shop: SHOP } });
    expect((await applyPredictions(db, SHOP)).changed).toBe(CUSTOMERS);
    const outcome = await runWriteBack(deps(), SHOP);
    expect(outcome.metafields.failures).toEqual([]);
    expect(outcome.metafields.metafieldsDeleted).toBe(bands);
    for (const s of await db.customerScore.findMany({ where: { shop: SHOP } })) {
      expect([s.pAliveBand, s.valueTier, s.ordersBand]).toEqual([null, null, null]);
      expect(s.behaviours.filter((b) => (PREDICTION_BEHAVIOURS as readonly string[]).includes(b))).toEqual([]);
      const m = metafieldsOf(s.customerId);
      expect(Object.keys(m).sort()).toEqual([
        "rfm.f_score",
        "rfm.m_score",
        "rfm.r_score",
        "rfm.rfm_code",
        "rfm.segment",
      ]);
      expect(tagsOf(s.customerId).filter((t) => /likely-to-churn|rising-star|ordering-soon/.test(t))).toEqual([]);
    }
  });
});
