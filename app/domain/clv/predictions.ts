/**
 * Per-customer predictions from a fitted purchase model and the Gamma-Gamma
 * spend model. Horizons are in days and converted to the model's unit;
 * everything is computed once per distinct (x, t_x, T) (and z̄ for value).
 */
import { expectedAverageValue, type GammaGammaFit } from "./gamma-gamma";
import type { Predictor, Rfm } from "./model";
import { DAYS_PER_UNIT, type CustomerSummary, type RfmTriple, type TimeUnit } from "./summary";

export interface CustomerPrediction {
  customerId: string;
  x: number;
  tx: number;
  T: number;
  pAlive: number;
  expectedOrders90: number;
  expectedOrders365: number;
  /** null without a spend model (no repeat customer with a positive value). */
  expectedAverageValue: number | null;
  /** Next 12 months, discounted monthly at the annual rate. */
  predictedValue12m: number | null;
  pNoOrder90: number;
  /** P(at least one order in the next 30 days). */
  pOrder30: number;
}

export interface PredictionOptions {
  unit: TimeUnit;
  /** Annual discount rate, e.g. 0.1 for 10 %. */
  annualDiscountRate: number;
}

const MONTH_DAYS = 365 / 12;

/** What the purchase model says about one (x, t_x, T): the same for every customer sharing it. */
export interface TupleForecast {
  pAlive: number;
  expectedOrders90: number;
  expectedOrders365: number;
  /** Σ over months k = 1…12 of E[orders in month k] / (1 + d)^(k/12); × E[order value] gives the 12-month value. */
  discountedOrders12m: number;
  pNoOrder90: number;
  pOrder30: number;
}

/** One (x, t_x, T) in days → its forecast, horizons converted to the model's unit. */
export function tupleForecaster(predictor: Predictor, options: PredictionOptions): (c: RfmTriple) => TupleForecast {
  const perUnit = DAYS_PER_UNIT[options.unit];
  const months = Array.from({ length: 12 }, (_, i) => ({
    end: ((i + 1) * MONTH_DAYS) / perUnit,
    discount: Math.pow(1 + options.annualDiscountRate, (i + 1) / 12),
  }));
  return ({ x, txDays, TDays }) => {
    const c: Rfm = { x, tx: txDays / perUnit, T: TDays / perUnit };
    let previous = 0;
    let discounted = 0;
    for (const month of months) {
      const cumulative = predictor.expected(month.end, c);
      discounted += (cumulative - previous) / month.discount;
      previous = cumulative;
    }
    return {
      pAlive: predictor.pAlive(c),
      expectedOrders90: predictor.expected(90 / perUnit, c),
      expectedOrders365: previous,
      discountedOrders12m: discounted,
      pNoOrder90: predictor.pNone(90 / perUnit, c),
      pOrder30: 1 - predictor.pNone(30 / perUnit, c),
    };
  };
}

/** The 12-month value of a customer: expected order value × discounted expected orders (the store computes the same product in SQL). */
export function predictedValue(expectedAverageValue: number | null, f: TupleForecast): number | null {
  return expectedAverageValue === null ? null : expectedAverageValue * f.discountedOrders12m;
}

export function predictCustomers(
  predictor: Predictor,
  spend: Pick<GammaGammaFit, "p" | "q" | "gamma"> | null,
  customers: readonly CustomerSummary[],
  options: PredictionOptions,
): CustomerPrediction[] {
  const perUnit = DAYS_PER_UNIT[options.unit];
  const forecast = tupleForecaster(predictor, options);
  const cache = new Map<number, TupleForecast>();
  return customers.map((c) => {
    const key = (c.x * 100_000 + c.txDays) * 100_000 + c.TDays;
    let f = cache.get(key);
    if (!f) cache.set(key, (f = forecast(c)));
    const aov = spend ? expectedAverageValue(spend, { x: c.x, meanValue: c.meanRepeatValue }) : null;
    return {
      customerId: c.customerId,
      x: c.x,
      tx: c.txDays / perUnit,
      T: c.TDays / perUnit,
      pAlive: f.pAlive,
      expectedOrders90: f.expectedOrders90,
      expectedOrders365: f.expectedOrders365,
      expectedAverageValue: aov,
      predictedValue12m: predictedValue(aov, f),
      pNoOrder90: f.pNoOrder90,
      pOrder30: f.pOrder30,
    };
  });
}
