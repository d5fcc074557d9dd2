/**
 * The purchase model back-tested on a shop's own orders: fitted on the orders before a cut-off only, then its
 * predicted repeat transactions in the held-out months against what customers actually did — per number of
 * calibration repeat transactions (0 … 7+) and cumulative week by week after the cut-off (the two holdout
 * figures of Fader, Hardie & Lee 2005).
 */
import { fitModel, type FittedModel, type TransactionModel } from "../clv/model";
import { TOP_BUCKET } from "../clv/holdout";
import { DAYS_PER_UNIT, type TimeUnit, type TupleSet } from "../clv/summary";

export const DEFAULT_HOLDOUT_MONTHS = 3;
/** Fewer calibration customers with a repeat order than this and the fit is not trusted. */
export const MIN_REPEAT_CUSTOMERS = 50;
export const BACKTEST_UNIT: TimeUnit = "week";

/** Distinct calibration summaries (days) with their customers and the repeat purchases they made in the holdout. */
export interface CalibrationTuple {
  x: number;
  txDays: number;
  TDays: number;
  customers: number;
  holdoutRepeats: number;
}

export interface BucketRow {
  /** "0" … "6", "7+". */
  frequency: string;
  customers: number;
  /** Mean repeat transactions per customer in the holdout. */
  actual: number;
  predicted: number;
}

export interface CumulativePoint {
  week: number;
  actual: number;
  predicted: number;
}

export type ClvBacktest =
  | {
      sufficient: true;
      model: string;
      params: Record<string, number>;
      ll: number;
      converged: boolean;
      calibrationCustomers: number;
      repeatCustomers: number;
      distinctTuples: number;
      buckets: BucketRow[];
      cumulative: CumulativePoint[];
      totalActual: number;
      totalPredicted: number;
      /** (predicted − actual) / actual over the whole holdout. */
      totalErrorPct: number;
      /** Mean over the buckets with customers of |predicted − actual| (repeat transactions per customer). */
      bucketMae: number;
    }
  | { sufficient: false; reason: "no_orders" | "too_few_repeat_customers" | "not_converged"; repeatCustomers: number };

export function tupleSetOfCalibration(tuples: readonly CalibrationTuple[], unit: TimeUnit): TupleSet {
  const perUnit = DAYS_PER_UNIT[unit];
  return {
    x: Float64Array.from(tuples, (t) => t.x),
    tx: Float64Array.from(tuples, (t) => t.txDays / perUnit),
    T: Float64Array.from(tuples, (t) => t.TDays / perUnit),
    count: Float64Array.from(tuples, (t) => t.customers),
    customers: tuples.reduce((s, t) => s + t.customers, 0),
  };
}

/**
 * @param holdoutRepeatsPerWeek actual repeat purchase days of calibration customers in week 1, 2, … after the
 *   cut-off (index 0 = week 1); its length is the number of holdout weeks shown.
 * @param holdoutDays days from the cut-off to the end of the holdout
 */
export function backtestClv(
  model: TransactionModel,
  tuples: readonly CalibrationTuple[],
  holdoutRepeatsPerWeek: readonly number[],
  holdoutDays: number,
): ClvBacktest {
  const repeatCustomers = tuples.reduce((s, t) => (t.x > 0 ? s + t.customers : s), 0);
  if (tuples.length === 0) return { sufficient: false, reason: "no_orders", repeatCustomers };
  if (repeatCustomers < MIN_REPEAT_CUSTOMERS)
    return { sufficient: false, reason: "too_few_repeat_customers", repeatCustomers };
  const fit: FittedModel = fitModel(model, tupleSetOfCalibration(tuples, BACKTEST_UNIT));
  if (!fit.converged) return { sufficient: false, reason: "not_converged", repeatCustomers };
  const perUnit = DAYS_PER_UNIT[BACKTEST_UNIT];
  const rfm = (t: CalibrationTuple) => ({ x: t.x, tx: t.txDays / perUnit, T: t.TDays / perUnit });

  const buckets = Array.from({ length: TOP_BUCKET + 1 }, (_, i) => ({
    frequency: i === TOP_BUCKET ? `${TOP_BUCKET}+` : String(i),
    customers: 0,
    actual: 0,
    predicted: 0,
  }));
  let totalActual = 0;
  let totalPredicted = 0;
  for (const t of tuples) {
    const b = buckets[Math.min(t.x, TOP_BUCKET)] as BucketRow;
    const predicted = t.customers * fit.predictor.expected(holdoutDays / perUnit, rfm(t));
    b.customers += t.customers;
    b.actual += t.holdoutRepeats;
    b.predicted += predicted;
    totalActual += t.holdoutRepeats;
    totalPredicted += predicted;
  }
  const rows = buckets.map((b) =>
    b.customers ? { ...b, actual: b.actual / b.customers, predicted: b.predicted / b.customers } : b,
  );
  const filled = rows.filter((r) => r.customers > 0);

  const cumulative: CumulativePoint[] = [];
  let actual = 0;
  holdoutRepeatsPerWeek.forEach((n, w) => {
    actual += n;
    const days = Math.min(7 * (w + 1), holdoutDays);
    const predicted = tuples.reduce((s, t) => s + t.customers * fit.predictor.expected(days / perUnit, rfm(t)), 0);
    cumulative.push({ week: w + 1, actual, predicted });
  });

  return {
    sufficient: true,
    model: fit.model,
    params: fit.params,
    ll: fit.ll,
    converged: fit.converged,
    calibrationCustomers: fit.customers,
    repeatCustomers,
    distinctTuples: fit.distinctTuples,
    buckets: rows,
    cumulative,
    totalActual,
    totalPredicted,
    totalErrorPct: totalActual > 0 ? (totalPredicted - totalActual) / totalActual : 0,
    bucketMae: filled.reduce((s, r) => s + Math.abs(r.predicted - r.actual), 0) / Math.max(filled.length, 1),
  };
}
