/**
 * The prediction run (job rfm.predict, after each full scoring run): the
 * shop's (x, t_x, T) summary from the aggregates and repeat-order days, the
 * purchase model and Gamma-Gamma fitted on it, and every customer's
 * prediction stored beside the scores. Data that cannot carry a fit gives a
 * run with a reason and no predictions.
 */
import type pg from "pg";
import { expectedAverageValue, fitGammaGamma, type GammaGammaFit } from "../../domain/clv/gamma-gamma";
import { fitModel, type FittedModel, type ModelName } from "../../domain/clv/model";
import { tupleForecaster } from "../../domain/clv/predictions";
import { TRANSACTION_MODELS } from "../../domain/clv/registry";
import { insufficientData, insufficientFit, type PredictionReason } from "../../domain/clv/sufficiency";
import { DAYS_PER_UNIT, type RfmTriple, type TimeUnit, type TupleSet } from "../../domain/clv/summary";
import { isoDay } from "../../domain/rfm/dates";
import type { Prisma } from "../../generated/prisma/client";
import type { Db } from "../../platform/db.server";
import { pgExecute, pgRows, type PgQueryable } from "../../platform/db/sql.server";
import { logger } from "../../platform/logger.server";
import { loadRfmSettings } from "../../settings/settings.server";
import { aggregateContext } from "../aggregate/aggregates.server";
import { latestFullRun } from "../score/scoring.server";
import type { GammaGammaJson, PredictionSummary } from "./prediction-shapes";
import { replacePredictions, type RunForecasts, type StoreOptions } from "./store-predictions.server";

/** MBG/NBD by default: unlike BG/NBD it does not call every one-time buyer certainly alive. A per-shop setting may come later. */
export const PREDICTION_MODEL: ModelName = "mbgnbd";
/** Weeks, as the literature fits. */
export const PREDICTION_UNIT: TimeUnit = "week";
/** Discount rate of the 12-month value (a setting may come later). */

export interface PredictionDeps {
  db: Db;
  /** node-postgres: the run is one transaction on one of its connections (its temporary tables live there). */
  pool: pg.Pool;
}

export interface PredictionOutcome {
  runId: bigint;
  sufficient: boolean;
  reason: PredictionReason | null;
  customers: number;
  predictions: number;
  distinctTuples: number;
  /** Wall seconds of each phase: staging and reading the tuples, fitting both models (PostgreSQL groups the spend meanwhile), predicting per tuple, storing. */
  readSeconds: number;
  fitSeconds: number;
  predictSeconds: number;
  storeSeconds: number;
  seconds: number;
}

/** The staged summary as the purchase model sees it: distinct tuples (in days), with counts. */
async function summaryTuples(client: PgQueryable) {
  const [tuples] = await pgRows(client, "pipeline/predict/summary-tuples.sql");
  if (!tuples) throw new Error("no grouped summary");
  return tuples;
}

/** … and as the spend model sees it: distinct (x, mean value), with counts. */
async function summarySpendGroups(client: PgQueryable) {
  const [spend] = await pgRows(client, "pipeline/predict/summary-spend-groups.sql");
  if (!spend) throw new Error("no grouped summary");
  return spend;
}

/** Distinct tuples in days → the models' tuple set in the unit. */
function tupleSet(
  t: { x: number[]; txDays: number[]; TDays: number[]; customers: number[] },
  unit: TimeUnit,
): TupleSet {
  const perUnit = DAYS_PER_UNIT[unit];
  return {
    x: Float64Array.from(t.x),
    tx: Float64Array.from(t.txDays, (d) => d / perUnit),
    T: Float64Array.from(t.TDays, (d) => d / perUnit),
    count: Float64Array.from(t.customers),
    customers: t.customers.reduce((s, n) => s + n, 0),
  };
}

const seconds = (since: number) => (performance.now() - since) / 1000;

function gammaGammaJson(fit: GammaGammaFit): GammaGammaJson {
  const { p, q, gamma, ll, converged, customers, nonPositive, strongCorrelation } = fit;
  return { p, q, gamma, ll, converged, customers, nonPositive, strongCorrelation };
}

/** Fits the shop and stores the run and its predictions; null when the shop has no full scoring run yet. */
export async function runPredictions(
  deps: PredictionDeps,
  shop: string,
  options: StoreOptions = {},
): Promise<PredictionOutcome | null> {
  const scoring = await latestFullRun(deps.db, shop);
  if (!scoring) return null;
  const { timezone } = await aggregateContext(deps.db, shop);
  const { annualDiscountRate } = (await loadRfmSettings(deps.db, shop)).predictions;
  const startedAt = new Date();
  const start = performance.now();
  const asOf = isoDay(Math.floor(scoring.asOf.getTime() / 86_400_000));
  const client = await deps.pool.connect();
  try {
    await client.query("BEGIN");
    await pgExecute(client, "pipeline/predict/prediction-run-settings.sql");
    await pgExecute(client, "pipeline/predict/create-summary-stage.sql");
    await pgExecute(client, "pipeline/predict/stage-customer-summaries.sql", shop, asOf, timezone);
    const tuples = await summaryTuples(client);
    const readSeconds = seconds(start);
    // Sent before the purchase model's fit holds this thread: PostgreSQL groups the spend while it runs.
    const spendGrouping = summarySpendGroups(client);
    // Awaited whatever happens next, so a failed grouping is never an unhandled rejection.
    spendGrouping.catch(() => undefined);
    const customers = tuples.customers.reduce((s, n) => s + n, 0);
    let repeatCustomers = 0;
    let historyDays = 0;
    tuples.x.forEach((x, i) => {
      if (x > 0) repeatCustomers += tuples.customers[i] ?? 0;
      historyDays = Math.max(historyDays, tuples.TDays[i] ?? 0);
    });

    let reason = insufficientData({ repeatCustomers, historyDays });
    let fit: FittedModel | null = null;
    let spend: GammaGammaFit | null = null;
    const distinctTuples = tuples.x.length;
    const fitStart = performance.now();
    if (!reason) fit = fitModel(TRANSACTION_MODELS[PREDICTION_MODEL], tupleSet(tuples, PREDICTION_UNIT));
    const spendGroups = await spendGrouping;
    if (fit) {
      reason = insufficientFit(fit);
      if (!reason)
        spend = fitGammaGamma(
          spendGroups.x.map((x, i) => ({
            x,
            meanValue: spendGroups.meanRepeatValue[i] ?? NaN,
            customers: spendGroups.customers[i] ?? 0,
          })),
        );
    }
    const fitSeconds = seconds(fitStart);

    const predictStart = performance.now();
    let forecasts: RunForecasts | null = null;
    if (fit && !reason) {
      const forecast = tupleForecaster(fit.predictor, {
        unit: PREDICTION_UNIT,
        annualDiscountRate,
      });
      const triples: RfmTriple[] = tuples.x.map((x, i) => ({
        x,
        txDays: tuples.txDays[i] ?? NaN,
        TDays: tuples.TDays[i] ?? NaN,
      }));
      forecasts = {
        tuples: triples,
        forecasts: triples.map(forecast),
        spend: spend && {
          x: spendGroups.x,
          meanRepeatValue: spendGroups.meanRepeatValue,
          expectedAverageValue: spendGroups.x.map((x, i) =>
            expectedAverageValue(spend, { x, meanValue: spendGroups.meanRepeatValue[i] ?? NaN }),
          ),
        },
      };
    }
    const predictSeconds = seconds(predictStart);

    const storeStart = performance.now();
    const [run] = await pgRows(
      client,
      "pipeline/predict/insert-prediction-run.sql",
      shop,
      scoring.id,
      PREDICTION_MODEL,
      PREDICTION_UNIT,
      fit ? JSON.stringify(fit.params) : null,
      fit?.ll ?? null,
      fit?.converged ?? null,
      distinctTuples,
      customers,
      repeatCustomers,
      reason,
      spend ? JSON.stringify(gammaGammaJson(spend)) : null,
      spend?.frequencyValueCorrelation ?? null,
      startedAt,
      annualDiscountRate,
    );
    if (!run) throw new Error("no prediction run row");
    const runId = BigInt(run.id);
    // Stale predictions go either way: an insufficient run shows none.
    await replacePredictions(client, shop, runId, customers, forecasts, options);
    const summary = forecasts ? await segmentSummary(client, shop) : null;
    await pgExecute(
      client,
      "pipeline/predict/finish-prediction-run.sql",
      shop,
      runId,
      summary ? JSON.stringify(summary) : null,
    );
    await client.query("COMMIT");
    client.release();
    const outcome: PredictionOutcome = {
      runId,
      sufficient: reason === null,
      reason,
      customers,
      predictions: forecasts ? customers : 0,
      distinctTuples,
      readSeconds,
      fitSeconds,
      predictSeconds,
      storeSeconds: seconds(storeStart),
      seconds: seconds(start),
    };
    logger.info({ shop, ...outcome, runId: String(runId), ll: fit?.ll }, "prediction run");
    return outcome;
  } catch (error) {
    // Discarded, not reused: the server rolls the open transaction (and its temporary tables) back.
    client.release(error instanceof Error ? error : true);
    throw error;
  }
}

async function segmentSummary(client: PgQueryable, shop: string): Promise<PredictionSummary> {
  const segments = await pgRows(client, "pipeline/predict/segment-predicted-value.sql", shop);
  return { predictedValue12m: segments.reduce((s, r) => s + r.predictedValue12m, 0), segments };
}

/**
 * The shop's latest finished prediction run (what the pages, the export and the forecast read), with the fields the
 * caller selects; null before the first.
 */
export function latestPredictionRun<S extends Prisma.PredictionRunSelect>(db: Db, shop: string, select: S) {
  return db.predictionRun.findFirst({ where: { shop, finishedAt: { not: null } }, orderBy: { id: "desc" }, select });
}
