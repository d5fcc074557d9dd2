import { GENERIC_STARTS, minimiseFromStarts, type Objective } from "./optimize";
import type { TupleSet } from "./summary";

export type ModelName = "bgnbd" | "mbgnbd" | "pareto";
export const MODEL_NAMES: readonly ModelName[] = ["bgnbd", "mbgnbd", "pareto"];

/** One customer's calibration summary in the model's time unit. */
export interface Rfm {
  x: number;
  tx: number;
  T: number;
}

/** What a fitted purchase model says about customers. */
export interface Predictor {
  /** P(still active at T | x, t_x, T). */
  pAlive(c: Rfm): number;
  /** E[repeat transactions in (0, t]] of a customer who just made a first purchase. */
  expectedNew(t: number): number;
  /** E[transactions in (T, T + t] | x, t_x, T]. */
  expected(t: number, c: Rfm): number;
  /** P(no transaction in (T, T + t] | x, t_x, T). */
  pNone(t: number, c: Rfm): number;
}

export interface TransactionModel {
  name: ModelName;
  paramNames: readonly string[];
  /** Log-likelihood of each tuple set, summed with counts, and its gradient on the log-parameters. */
  logLikelihood(set: TupleSet, logParams: readonly number[]): { value: number; gradient: number[] };
  predictor(params: readonly number[]): Predictor;
}

export interface FittedModel {
  model: ModelName;
  params: Record<string, number>;
  ll: number;
  converged: boolean;
  /** All starting points reached the same optimum. */
  startsAgreed: boolean;
  iterations: number;
  distinctTuples: number;
  customers: number;
  predictor: Predictor;
}

export function fitModel(model: TransactionModel, set: TupleSet): FittedModel {
  // The mean per customer keeps the gradient tolerance independent of the shop's size.
  const objective: Objective = (theta) => {
    const { value, gradient } = model.logLikelihood(set, theta);
    return { value: -value / set.customers, gradient: gradient.map((g) => -g / set.customers) };
  };
  const { best, agreed } = minimiseFromStarts(objective, GENERIC_STARTS);
  const params = best.theta.map(Math.exp);
  return {
    model: model.name,
    params: Object.fromEntries(model.paramNames.map((name, i) => [name, params[i] as number])),
    ll: -best.value * set.customers,
    converged: best.converged,
    startsAgreed: agreed,
    iterations: best.iterations,
    distinctTuples: set.x.length,
    customers: set.customers,
    predictor: model.predictor(params),
  };
}
