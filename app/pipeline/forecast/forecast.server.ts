import type { Db } from "../../platform/db.server";
import { queryRows } from "../../platform/db/sql.server";
import { logger } from "../../platform/logger.server";
import { epochDay, isoDay, minusMonths } from "../../domain/rfm/dates";
import { SEGMENT_KEYS } from "../../domain/rfm/segments";
import { MBG_NBD } from "../../domain/clv/bgnbd";
import {
  backtestSegments,
  estimateChain,
  MIN_OBSERVED_MONTHS,
  movingDownGroups,
  type SegmentChain,
  observedMonthDays,
  segmentRank,
  sizeForecast,
  type Transition,
} from "../../domain/forecast/markov";
import { backtestClv, DEFAULT_HOLDOUT_MONTHS } from "../../domain/forecast/clv-backtest";
import { aggregateContext } from "../aggregate/aggregates.server";
import { transitionMatrix } from "../score/segment-history.server";
import { latestPredictionRun } from "../predict/predictions.server";
import type { ClvBacktestJson, SegmentBacktestJson, SegmentForecast } from "./forecast-shapes";

/** Customers listed as most likely to move down next month. */
export const MOVING_DOWN_LIMIT = 25;

export interface ForecastOptions {
  holdoutMonths?: number;
}

/**
 * The job rfm.forecast, after each prediction run (which follows each full scoring run): the segment chain from
 * the recorded monthly transitions, its forecast and back-test, and the purchase model's back-test with the last
 * months held out — one ForecastRun row. Months reconstructed at install do not count: history starts at the first full run.
 */
export async function runForecast(db: Db, shop: string, options: ForecastOptions = {}) {
  // The most recent date scored (a second run on one day: its last).
  const run = await db.scoringRun.findFirst({
    where: { shop, kind: "full", finishedAt: { not: null } },
    orderBy: [{ asOf: "desc" }, { id: "desc" }],
  });
  if (!run) return null;
  const asOf = run.asOf.toISOString().slice(0, 10);
  const first = await db.scoringRun.findFirst({
    where: { shop, kind: "full", finishedAt: { not: null } },
    orderBy: { asOf: "asc" },
    select: { asOf: true },
  });
  const historyStart = first ? first.asOf.toISOString().slice(0, 10) : null;
  const days = observedMonthDays(epochDay(asOf), historyStart === null ? null : epochDay(historyStart));
  const months: Transition[][] = [];
  for (let i = 1; i < days.length; i++)
    months.push(await transitionMatrix(db, shop, isoDay(days[i - 1] as number), isoDay(days[i] as number)));

  const seen = new Set<string>(SEGMENT_KEYS);
  for (const m of months) for (const t of m) for (const s of [t.from, t.to]) if (s !== null) seen.add(s);
  const states = [...seen].sort((a, b) => segmentRank(a) - segmentRank(b));
  const sizesOn = (m: readonly Transition[] | undefined, side: "from" | "to") =>
    states.map((s) => (m ?? []).reduce((n, t) => (t[side] === s ? n + t.customers : n), 0));

  const sufficient = months.length >= MIN_OBSERVED_MONTHS;
  let segmentForecast: SegmentForecast = { sizes: [], movingDown: [] };
  let segmentBacktest: SegmentBacktestJson = {
    available: false,
    months: Math.max(months.length - 1, 0),
    needed: MIN_OBSERVED_MONTHS,
  };
  if (sufficient) {
    const chain = estimateChain(months, states);
    const last = months.at(-1);
    const sizesNow = sizesOn(last, "to");
    segmentForecast = {
      sizes: sizeForecast(chain, sizesNow),
      movingDown: await likelyToMoveDown(db, shop, chain),
    };
    // The back-test's chain must not see the month it forecasts: one month more than the forecast needs.
    if (months.length - 1 >= MIN_OBSERVED_MONTHS) {
      const b = backtestSegments(months, states, sizesOn(last, "from"), sizesNow);
      segmentBacktest = {
        available: true,
        from: isoDay(days.at(-2) as number),
        to: asOf,
        months: b.months,
        weightedMape: b.weightedMape,
        rows: b.rows,
      };
    }
  }

  const clvBacktest = await backtestPurchaseModel(db, shop, asOf, options.holdoutMonths ?? DEFAULT_HOLDOUT_MONTHS);
  const row = await db.forecastRun.create({
    data: {
      shop,
      scoringRunId: run.id,
      asOf: run.asOf,
      historyStart: historyStart === null ? null : new Date(`${historyStart}T00:00:00Z`),
      observedMonths: months.length,
      sufficient,
      reason: sufficient ? null : historyStart === null ? "no_history" : "too_few_months",
      segmentForecast,
      segmentBacktest,
      clvBacktest,
    },
  });
  logger.info(
    { shop, forecastRunId: String(row.id), observedMonths: months.length, sufficient, clv: clvBacktest.sufficient },
    "segment forecast",
  );
  return row;
}

/** The purchase model refitted on the orders before asOf − N months, against the N months after. */
export async function backtestPurchaseModel(
  db: Db,
  shop: string,
  asOf: string,
  holdoutMonths: number,
): Promise<ClvBacktestJson> {
  const { timezone } = await aggregateContext(db, shop);
  const end = epochDay(asOf);
  const cutoffDay = minusMonths(end, holdoutMonths) + 1;
  const cutoff = isoDay(cutoffDay);
  const [tuples, weeks] = await Promise.all([
    queryRows(db, "pipeline/forecast/calibration-tuples.sql", shop, timezone, cutoff, asOf),
    queryRows(db, "pipeline/forecast/holdout-weeks.sql", shop, timezone, cutoff, asOf),
  ]);
  const holdoutDays = end + 1 - cutoffDay;
  const perWeek = new Array<number>(Math.ceil(holdoutDays / 7)).fill(0);
  for (const w of weeks) perWeek[w.week] = w.repeats;
  const result = backtestClv(MBG_NBD, tuples, perWeek, holdoutDays);
  const period = { cutoff, holdoutEnd: asOf, holdoutMonths };
  return result.sufficient ? { ...period, ...result } : { ...period, ...result };
}

/**
 * The customers most likely to move down next month: P(down) = 1 − P(alive) · P(stay-or-up | segment), with
 * P(alive) as the shop's latest prediction run stored it (rfm.predict runs just before; when that run was not
 * sufficient, the chain's row alone). Computed once per segment and distinct P(alive).
 */
async function likelyToMoveDown(db: Db, shop: string, chain: SegmentChain) {
  const prediction = await latestPredictionRun(db, shop, { id: true, sufficient: true });
  const runId = prediction?.sufficient ? prediction.id : null;
  const groups = await queryRows(db, "pipeline/forecast/moving-down-groups.sql", shop, runId);
  const picked = movingDownGroups(
    chain,
    groups.map((g) => ({ key: g, segment: g.segment, customers: g.customers, pAlive: g.pAlive })),
    MOVING_DOWN_LIMIT,
  );
  return queryRows(
    db,
    "pipeline/forecast/moving-down-customers.sql",
    shop,
    runId,
    picked.map((g) => g.segment),
    picked.map((g) => g.pAlive !== null),
    picked.map((g) => g.pAlive ?? 0),
    picked.map((g) => g.pDown),
    MOVING_DOWN_LIMIT,
  );
}
