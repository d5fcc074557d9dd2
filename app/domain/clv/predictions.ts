/**
 * Per-customer predictions from a fitted purchase model and the Gamma-Gamma
 * spend model. Horizons are in days and converted to the model's unit;
 * everything is computed once per distinct (x, t_x, T) (and z̄ for value).
 */
import { expectedAverageValue, type GammaGammaFit } from "./gamma-gamma";
import type { Predictor, Rfm } from "./model";
import { DAYS_PER_UNIT, type CustomerSummary, type TimeUnit } from "./summary";

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

interface TupleForecast {
  pAlive: number;
  expected90: number;
  expected365: number;
  /** Σ over months k = 1…12 of E[orders in month k] / (1 + d)^(k/12). */
  discountedOrders12m: number;
  pNone90: number;
  pNone30: number;
}

export function predictCustomers(
  predictor: Predictor,
  spend: Pick<GammaGammaFit, "p" | "q" | "gamma"> | null,
  customers: readonly CustomerSummary[],
  options: PredictionOptions,
): CustomerPrediction[] {
  const perUnit = DAYS_PER_UNIT[options.unit];
  const cache = new Map<number, TupleForecast>();
  const forecast = (c: Rfm): TupleForecast => {
    let previous = 0;
    let discounted = 0;
    for (let k = 1; k <= 12; k++) {
      const cumulative = predictor.expected((k * MONTH_DAYS) / perUnit, c);
      discounted += (cumulative - previous) / Math.pow(1 + options.annualDiscountRate, k / 12);
      previous = cumulative;
    }
    return {
      pAlive: predictor.pAlive(c),
      expected90: predictor.expected(90 / perUnit, c),
      expected365: previous,
      discountedOrders12m: discounted,
      pNone90: predictor.pNone(90 / perUnit, c),
      pNone30: predictor.pNone(30 / perUnit, c),
    };
  };
  return customers.map((c) => {
    const rfm = { x: c.x, tx: c.txDays / perUnit, T: c.TDays / perUnit };
    const key = (c.x * 100_000 + c.txDays) * 100_000 + c.TDays;
    let f = cache.get(key);
    if (!f) cache.set(key, (f = forecast(rfm)));
    const aov = spend ? expectedAverageValue(spend, { x: c.x, meanValue: c.meanRepeatValue }) : null;
    return {
      customerId: c.customerId,
      ...rfm,
      pAlive: f.pAlive,
      expectedOrders90: f.expected90,
      expectedOrders365: f.expected365,
      expectedAverageValue: aov,
      predictedValue12m: aov === null ? null : aov * f.discountedOrders12m,
      pNoOrder90: f.pNone90,
      pOrder30: 1 - f.pNone30,
    };
  });
}
