import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import {
  aggregateContext,
  recomputeAggregates,
  recomputeShopAggregates,
} from "../../app/pipeline/aggregate/aggregates.server";
import { runFullScoring } from "../../app/pipeline/score/scoring.server";
import { computeRunSummary, refillScoreCells } from "../../app/pipeline/score/run-summary.server";
import { RunStats, RunSummary } from "../../app/pipeline/score/run-shapes";
import { queryRows } from "../../app/platform/db/sql.server";
import { saveRfmSettings } from "../../app/settings/settings.server";
import { PREDICTION_BEHAVIOURS } from "../../app/domain/rfm/prediction-bands";
import { seedTwinOrders, type Row } from "./scoring-rows";

/**
 * A daily run's dashboard summary adds up the score cells and open stays kept by triggers on the scores
 * (ScoreCell, ScoreStay) and counts movement from the recent history only. After random orders, cancellations,
 * customers gone, prediction behaviours written straight to the scores and days passing, both tables must equal
 * grouping every score (and the gap-day counts every aggregate), and the stored summary and stats must equal the ones
 * computed from every score, aggregate and order — field by field.
 */

const db = createDb(process.env.DATABASE_URL as string, 2);
const SHOP = "summary-cells.myshopify.com";
const TZ = "Europe/Berlin";
const CUSTOMERS = 400;

/** A fixed-seed generator (mulberry32): random changes, the same on every run of the test. */
function randomOf(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = randomOf(16);
const pick = (n: number) => 1 + Math.floor(random() * n);

async function changeShop(day: string, seed: number) {
  const orders = Array.from({ length: 20 + pick(30) }, (_, i) => ({
    id: 200000 + seed * 1000 + i,
    // Now and then a customer never seen before.
    customer: random() < 0.1 ? 10000 + seed * 100 + i : pick(CUSTOMERS),
    amount: (5 + random() * 600).toFixed(2),
    hour: pick(20),
    code: random() < 0.3 ? `SPRING${seed % 2}` : null,
  }));
  await db.$executeRawUnsafe(
    `INSERT INTO "Order" (shop, id, "customerId", "createdAt", "processedAt", "shopifyUpdatedAt", currency, "totalPrice", "currentTotalPrice", "totalRefunded", "discountCodes")
     SELECT $1, o.id, o.customer, t, t, t, 'EUR', o.amount, o.amount, 0, CASE WHEN o.code IS NULL THEN '{}'::text[] ELSE ARRAY[o.code] END
     FROM jsonb_to_recordset($2::jsonb) AS o(id bigint, customer bigint, amount numeric, hour int, code text),
          LATERAL (SELECT ($3::date + make_interval(hours => o.hour)) AT TIME ZONE 'Europe/Berlin' AS t) x`,
    SHOP,
    JSON.stringify(orders),
    day,
  );
  // Cancellations, some of a customer's every order (the customer is no longer scored).
  const cancelled = Array.from({ length: 8 }, () => pick(CUSTOMERS));
  await db.$executeRawUnsafe(
    `UPDATE "Order" SET "cancelledAt" = now()
     WHERE shop = $1 AND "customerId" = ANY($2::bigint[]) AND (id % 3 = 0 OR "customerId" % 4 = 0)`,
    SHOP,
    cancelled,
  );
  // The prediction job writes its behaviours straight to the scores (applyPredictions).
  const predicted = Array.from({ length: 15 }, () => pick(CUSTOMERS));
  const behaviour = PREDICTION_BEHAVIOURS[seed % PREDICTION_BEHAVIOURS.length] ?? "likely_to_churn";
  await db.$executeRawUnsafe(
    `UPDATE "CustomerScore" SET behaviours = array_append(behaviours, $3), "behaviourSince" = array_append("behaviourSince", $4::date)
     WHERE shop = $1 AND "customerId" = ANY($2::bigint[]) AND NOT $3 = ANY(behaviours)`,
    SHOP,
    predicted,
    behaviour,
    day,
  );
  const ctx = await aggregateContext(db, SHOP);
  await recomputeAggregates(
    db,
    SHOP,
    [...new Set([...orders.map((o) => BigInt(o.customer)), ...cancelled.map(BigInt)])],
    ctx,
  );
}

const storedCells = (shop: string) =>
  db.$queryRawUnsafe<Row[]>(
    `SELECT segment, r, f, behaviours, "lastOrderDate"::text AS d, customers::int, revenue::text, orders::int
     FROM "ScoreCell" WHERE shop = $1 ORDER BY 1, 2, 3, 4, 5`,
    shop,
  );
const groupedCells = (shop: string) =>
  db.$queryRawUnsafe<Row[]>(
    `SELECT segment, r, f, behaviours, "lastOrderDate"::text AS d, count(*)::int AS customers, sum(monetary)::text AS revenue,
            sum(frequency)::int AS orders
     FROM "CustomerScore" WHERE shop = $1 GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
    shop,
  );
const storedStays = (shop: string) =>
  db.$queryRawUnsafe<Row[]>(
    `SELECT kind, k, since::text, customers::int FROM "ScoreStay" WHERE shop = $1 ORDER BY 1, 2, 3`,
    shop,
  );
const groupedStays = (shop: string) =>
  db.$queryRawUnsafe<Row[]>(
    `SELECT kind, k, since::text, count(*)::int AS customers FROM (
       SELECT 'rfm' AS kind, segment AS k, "segmentSince" AS since FROM "CustomerScore" WHERE shop = $1
       UNION ALL
       SELECT 'behaviour', x.b, coalesce(x.since, s."segmentSince")
       FROM "CustomerScore" s, unnest(s.behaviours, s."behaviourSince") AS x(b, since) WHERE s.shop = $1 AND x.b IS NOT NULL) st
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    shop,
  );

const storedGapDays = (shop: string) =>
  db.$queryRawUnsafe<Row[]>(`SELECT day, customers::int FROM "GapDayCount" WHERE shop = $1 ORDER BY 1`, shop);
const groupedGapDays = (shop: string) =>
  db.$queryRawUnsafe<Row[]>(
    `SELECT floor("avgDaysBetweenOrders")::int AS day, count(*)::int AS customers FROM "CustomerAggregate"
     WHERE shop = $1 AND "avgDaysBetweenOrders" IS NOT NULL GROUP BY 1 ORDER BY 1`,
    shop,
  );

/** Numeric text as PostgreSQL and PGlite may scale it differently: compared as numbers. */
const revenueOf = (rows: Row[]) => rows.map((r) => ({ ...r, revenue: Number(r.revenue) }));

/** The summary from every score (cells regrouped, spend histogram of every score) and every history row. */
async function recomputedSummary(asOf: string, customers: number) {
  return db.$transaction(async (tx) => {
    await refillScoreCells(tx, SHOP);
    await tx.$executeRawUnsafe(
      `CREATE TEMP TABLE rfm_ms ON COMMIT DROP AS
       SELECT v, c, $2::bigint - (sum(c) OVER (ORDER BY v))::bigint AS better
       FROM (SELECT monetary AS v, count(*) AS c FROM "CustomerScore" WHERE shop = $1 GROUP BY 1) h`,
      SHOP,
      customers,
    );
    const summary = await computeRunSummary(tx, SHOP, asOf, customers);
    const movement = await queryRows(tx, "pipeline/score/segment-transitions.sql", SHOP, summary.movementFrom, asOf);
    return { ...summary, movement };
  });
}

/** The stats a run reads from every order and aggregate: sale days (and the peak season starts) and the median gap. */
async function recomputedStats(asOf: string) {
  const [gap] = await db.$queryRawUnsafe<{ gap: number | null }[]>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY "avgDaysBetweenOrders") AS gap
     FROM "CustomerAggregate" WHERE shop = $1 AND "avgDaysBetweenOrders" IS NOT NULL`,
    SHOP,
  );
  const days = await db.$queryRawUnsafe<{ d: string }[]>(
    `SELECT DISTINCT d::text AS d FROM (
       SELECT min((o."processedAt" AT TIME ZONE $2)::date) AS d
       FROM "Order" o CROSS JOIN LATERAL unnest(o."discountCodes") code
       WHERE o.shop = $1 AND o."customerId" IS NOT NULL AND NOT o.test AND o."cancelledAt" IS NULL AND o."deletedAt" IS NULL
       GROUP BY lower(code) HAVING count(*) >= 3
       UNION SELECT unnest($4::date[])) x WHERE d <= $3::date ORDER BY 1`,
    SHOP,
    TZ,
    asOf,
    [...new Set((await aggregateContext(db, SHOP)).peaks.starts)],
  );
  return { medianGapDays: gap?.gap ?? null, launchDays: days.map((r) => r.d) };
}

const byMove = (rows: { from: string | null; to: string | null; customers: number }[]) =>
  [...rows].sort((a, b) => `${a.from}>${a.to}`.localeCompare(`${b.from}>${b.to}`));

async function runDay(day: string) {
  const outcome = await runFullScoring(db, SHOP, { asOf: day, ownPartitionFrom: 100 });
  expect(revenueOf(await storedCells(SHOP))).toEqual(revenueOf(await groupedCells(SHOP)));
  expect(await storedStays(SHOP)).toEqual(await groupedStays(SHOP));
  const run = await db.scoringRun.findFirst({ where: { shop: SHOP }, orderBy: { id: "desc" } });
  const stored = RunSummary.parse(run?.summary);
  const stats = RunStats.parse(run?.stats);
  const recomputed = await recomputedSummary(day, outcome.customers);
  expect(byMove(stored.movement)).toEqual(byMove(recomputed.movement));
  expect({ ...stored, movement: [] }).toEqual({ ...recomputed, movement: [] });
  const { medianGapDays, launchDays } = await recomputedStats(day);
  expect(stats.launchDays).toEqual(launchDays);
  expect(stats.medianGapDays).toBe(medianGapDays);
  expect(await storedGapDays(SHOP)).toEqual(await groupedGapDays(SHOP));
  return { scope: stats.scope, stored };
}

beforeAll(async () => {
  await db.shop.create({ data: { shop: SHOP, ianaTimezone: TZ } });
  await saveRfmSettings(db, SHOP, { stabilityRuns: 2 });
  await seedTwinOrders(db, SHOP, CUSTOMERS, 400);
  await recomputeShopAggregates(db, SHOP);
}, 120_000);

afterAll(async () => {
  await db.$disconnect();
});

describe("a daily run's summary from the kept cells", () => {
  it("GIVEN random orders, cancellations, customers gone, prediction behaviours and days passing THEN the cells, open stays, summary and stats equal the ones from every score", async () => {
    // The first run writes its own partition (no trigger fires there): its cells are grouped once.
    expect((await runDay("2026-11-20")).scope?.kind).toBe("all");
    const days = ["2026-11-21", "2026-11-22", "2026-11-23", "2026-12-03", "2026-12-20", "2027-01-15", "2027-01-16"];
    let moved = 0;
    for (const [i, day] of days.entries()) {
      await changeShop(day, i + 1);
      const { scope, stored } = await runDay(day);
      expect(scope?.kind).toBe("changed");
      moved += stored.movement.filter((m) => m.from !== m.to).reduce((sum, m) => sum + m.customers, 0);
    }
    // The movement is more than everyone staying put.
    expect(moved).toBeGreaterThan(0);
  }, 300_000);
});
