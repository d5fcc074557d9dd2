/**
 * The prediction run (job rfm.predict, after each full scoring run): the
 * shop's (x, t_x, T) summary from the aggregates and repeat-order days, the
 * purchase model and Gamma-Gamma fitted on it, and every customer's
 * prediction stored beside the scores. Data that cannot carry a fit gives a
 * run with a reason and no predictions.
 */
import { fitGammaGamma, type GammaGammaFit } from "../../domain/clv/gamma-gamma";
import { fitModel, type FittedModel, type ModelName } from "../../domain/clv/model";
import { predictCustomers, type CustomerPrediction } from "../../domain/clv/predictions";
import { TRANSACTION_MODELS } from "../../domain/clv/registry";
import { insufficientData, insufficientFit, type PredictionReason } from "../../domain/clv/sufficiency";
import { distinctTuples, type CustomerSummary, type TimeUnit } from "../../domain/clv/summary";
import { epochDay, isoDay } from "../../domain/rfm/dates";
import type { Prisma } from "../../generated/prisma/client";
import type { Db, DbTx } from "../../platform/db.server";
import { pgRows, queryRows, type PgQueryable } from "../../platform/db/sql.server";
import { logger } from "../../platform/logger.server";
import { loadRfmSettings } from "../../settings/settings.server";
import { aggregateContext } from "../aggregate/aggregates.server";
import { latestFullRun } from "../score/scoring.server";
import type { GammaGammaJson, PredictionSummary } from "./prediction-shapes";
import { replacePredictions, type StoreOptions } from "./store-predictions.server";

/** MBG/NBD by default: unlike BG/NBD it does not call every one-time buyer certainly alive. A per-shop setting may come later. */
export const PREDICTION_MODEL: ModelName = "mbgnbd";
/** Weeks, as the literature fits. */
export const PREDICTION_UNIT: TimeUnit = "week";

export interface PredictionDeps {
  db: Db;
  /** node-postgres for the one large read (a row per customer), where Prisma's per-row cost shows. */
  pool: PgQueryable;
}

export interface PredictionOutcome {
  runId: bigint;
  sufficient: boolean;
  reason: PredictionReason | null;
  customers: number;
  predictions: number;
  distinctTuples: number;
  /** Wall seconds of each phase: reading the summary, fitting both models, predicting, storing. */
  readSeconds: number;
  fitSeconds: number;
  predictSeconds: number;
  storeSeconds: number;
  seconds: number;
}

/** The summary the models see: every customer of the shop as of the latest full run's date. */
export async function customerSummaries(deps: PredictionDeps, shop: string, asOf: string): Promise<CustomerSummary[]> {
  const { timezone } = await aggregateContext(deps.db, shop);
  const rows = await pgRows(deps.pool, "pipeline/predict/customer-summaries.sql", shop, asOf, timezone);
  const asOfDay = epochDay(asOf);
  return rows.map((r) => ({ ...r, firstDay: asOfDay - r.TDays, holdoutX: 0, repeatDays: [] }));
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
  const startedAt = new Date();
  const start = performance.now();
  const asOf = isoDay(Math.floor(scoring.asOf.getTime() / 86_400_000));
  const { annualDiscountRate } = (await loadRfmSettings(deps.db, shop)).predictions;
  const customers = await customerSummaries(deps, shop, asOf);
  const readSeconds = seconds(start);
  const repeatCustomers = customers.reduce((n, c) => n + (c.x > 0 ? 1 : 0), 0);
  const historyDays = customers.reduce((m, c) => Math.max(m, c.TDays), 0);

  let reason = insufficientData({ repeatCustomers, historyDays });
  let fit: FittedModel | null = null;
  let spend: GammaGammaFit | null = null;
  let tuples = 0;
  const fitStart = performance.now();
  if (!reason) {
    const set = distinctTuples(customers, PREDICTION_UNIT);
    tuples = set.x.length;
    fit = fitModel(TRANSACTION_MODELS[PREDICTION_MODEL], set);
    reason = insufficientFit(fit);
    if (!reason) spend = fitGammaGamma(customers.map((c) => ({ x: c.x, meanValue: c.meanRepeatValue })));
  }
  const fitSeconds = seconds(fitStart);
  const predictStart = performance.now();
  const predictions: CustomerPrediction[] =
    fit && !reason
      ? predictCustomers(fit.predictor, spend, customers, {
          unit: PREDICTION_UNIT,
          annualDiscountRate,
        })
      : [];
  const predictSeconds = seconds(predictStart);

  const storeStart = performance.now();
  const runId = await deps.db.$transaction(
    async (tx) => {
      const run = await tx.predictionRun.create({
        data: {
          shop,
          scoringRunId: scoring.id,
          model: PREDICTION_MODEL,
          unit: PREDICTION_UNIT,
          params: fit ? fit.params : undefined,
          ll: fit?.ll ?? null,
          converged: fit?.converged ?? null,
          distinctTuples: tuples,
          customers: customers.length,
          repeatCustomers,
          sufficient: reason === null,
          reason,
          gammaGamma: spend ? gammaGammaJson(spend) : undefined,
          spendCorrelation: spend?.frequencyValueCorrelation ?? null,
          annualDiscountRate,
          startedAt,
        },
        select: { id: true },
      });
      // Stale predictions go either way: an insufficient run shows none.
      await replacePredictions(tx, shop, run.id, predictions, options);
      const summary = reason === null ? await segmentSummary(tx, shop) : undefined;
      await tx.predictionRun.update({
        where: { shop_id: { shop, id: run.id } },
        data: { finishedAt: new Date(), ...(summary ? { summary } : {}) },
      });
      return run.id;
    },
    { timeout: 10 * 60_000, maxWait: 60_000 },
  );
  const outcome: PredictionOutcome = {
    runId,
    sufficient: reason === null,
    reason,
    customers: customers.length,
    predictions: predictions.length,
    distinctTuples: tuples,
    readSeconds,
    fitSeconds,
    predictSeconds,
    storeSeconds: seconds(storeStart),
    seconds: seconds(start),
  };
  logger.info({ shop, ...outcome, runId: String(runId), ll: fit?.ll }, "prediction run");
  return outcome;
}

async function segmentSummary(tx: DbTx, shop: string): Promise<PredictionSummary> {
  const segments = await queryRows(tx, "pipeline/predict/segment-predicted-value.sql", shop);
  return { predictedValue12m: segments.reduce((s, r) => s + r.predictedValue12m, 0), segments };
}

/**
 * The shop's latest finished prediction run (what the pages, the export and the forecast read), with the fields the
 * caller selects; null before the first.
 */
export function latestPredictionRun<S extends Prisma.PredictionRunSelect>(db: Db, shop: string, select: S) {
  return db.predictionRun.findFirst({ where: { shop, finishedAt: { not: null } }, orderBy: { id: "desc" }, select });
}
