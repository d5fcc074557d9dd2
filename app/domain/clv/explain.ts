/**
 * The facts a prediction is explained by, in the merchant's terms: how many
 * orders over how long, and how long since the last one (whole months; days
 * under a month). The wording is app/i18n/clv/explain.ts.
 */

const MONTH_DAYS = 365 / 12;

export interface HistoryFacts {
  orders: number;
  /** Months from the first order to the as-of date, at least 1. */
  months: number;
  /** Whole months since the last order (0: within the last month). */
  monthsSinceLast: number;
  daysSinceLast: number;
}

/** Days are calendar days since the epoch (shop-local dates). */
export function historyFacts(orders: number, firstDay: number, lastDay: number, asOfDay: number): HistoryFacts {
  const daysSinceLast = Math.max(0, asOfDay - lastDay);
  return {
    orders,
    months: Math.max(1, Math.round((asOfDay - firstDay) / MONTH_DAYS)),
    monthsSinceLast: Math.floor(daysSinceLast / MONTH_DAYS),
    daysSinceLast,
  };
}
