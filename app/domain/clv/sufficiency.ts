/**
 * Whether a shop's data can carry a fitted purchase model. With few repeat
 * customers the repeat-rate parameters are guesses, and a history shorter
 * than a season says little about how often customers come back; the app
 * then shows no predictions rather than confident-looking numbers.
 */

/** Repeat customers (x ≥ 1) a fit needs at least. */
export const MIN_REPEAT_CUSTOMERS = 50;
/** Days from the shop's first counted order to the as-of date a fit needs at least (about three months). */
export const MIN_HISTORY_DAYS = 90;

export type PredictionReason = "too_few_repeat_customers" | "history_too_short" | "not_converged";
const REASONS: readonly PredictionReason[] = ["too_few_repeat_customers", "history_too_short", "not_converged"];

/** A stored run's reason (a string column); anything unknown reads as a fit that did not converge. */
export const predictionReasonOf = (reason: string | null): PredictionReason =>
  REASONS.find((r) => r === reason) ?? "not_converged";

export interface DataFacts {
  repeatCustomers: number;
  /** Days from the earliest first purchase to the as-of date. */
  historyDays: number;
}

/** Why the data cannot be fitted at all (checked before fitting), or null. */
export function insufficientData(facts: DataFacts): PredictionReason | null {
  if (facts.historyDays < MIN_HISTORY_DAYS) return "history_too_short";
  if (facts.repeatCustomers < MIN_REPEAT_CUSTOMERS) return "too_few_repeat_customers";
  return null;
}

/** After fitting: a fit that did not converge is not used. */
export function insufficientFit(fit: { converged: boolean }): PredictionReason | null {
  return fit.converged ? null : "not_converged";
}
