/**
 * The papers' holdout checks (Fader, Hardie & Lee 2005, figures 2–4):
 * actual vs predicted repeat transactions in the holdout period per number
 * of calibration repeat transactions (0 … 7+), and cumulative repeat
 * transactions week by week from the first day of the data.
 */
import type { Predictor } from "./model";
import { DAYS_PER_UNIT, type CustomerSummary, type TimeUnit } from "./summary";

export interface FrequencyRow {
  /** "0" … "6", "7+". */
  frequency: string;
  customers: number;
  /** Mean repeat transactions per customer in the holdout period. */
  actual: number;
  predicted: number;
}

export interface CumulativeRow {
  week: number;
  actual: number;
  predicted: number;
}

export const TOP_BUCKET = 7;

export function holdoutByFrequency(
  predictor: Predictor,
  customers: readonly CustomerSummary[],
  calibrationEndDay: number,
  holdoutEndDay: number,
  unit: TimeUnit,
): FrequencyRow[] {
  const perUnit = DAYS_PER_UNIT[unit];
  const t = (holdoutEndDay - calibrationEndDay) / perUnit;
  const rows = Array.from({ length: TOP_BUCKET + 1 }, (_, i) => ({
    frequency: i === TOP_BUCKET ? `${TOP_BUCKET}+` : String(i),
    customers: 0,
    actual: 0,
    predicted: 0,
  }));
  for (const c of customers) {
    const row = rows[Math.min(c.x, TOP_BUCKET)] as FrequencyRow;
    row.customers++;
    row.actual += c.holdoutX;
    row.predicted += predictor.expected(t, { x: c.x, tx: c.txDays / perUnit, T: c.TDays / perUnit });
  }
  return rows.map((r) =>
    r.customers ? { ...r, actual: r.actual / r.customers, predicted: r.predicted / r.customers } : r,
  );
}

/** Week w ends on day start + 7w − 1; a customer's clock runs from the first purchase. */
export function cumulativeRepeatTransactions(
  predictor: Predictor,
  customers: readonly CustomerSummary[],
  holdoutEndDay: number,
  unit: TimeUnit,
): CumulativeRow[] {
  if (customers.length === 0) return [];
  const perUnit = DAYS_PER_UNIT[unit];
  const start = customers.reduce((m, c) => Math.min(m, c.firstDay), Infinity);
  const weeks = Math.floor((holdoutEndDay - start + 1) / 7);
  const cohorts = new Map<number, number>();
  const repeatsPerDay = new Map<number, number>();
  for (const c of customers) {
    cohorts.set(c.firstDay, (cohorts.get(c.firstDay) ?? 0) + 1);
    for (const d of c.repeatDays) repeatsPerDay.set(d, (repeatsPerDay.get(d) ?? 0) + 1);
  }
  const rows: CumulativeRow[] = [];
  let actual = 0;
  for (let w = 1; w <= weeks; w++) {
    const last = start + 7 * w - 1;
    for (let d = last - 6; d <= last; d++) actual += repeatsPerDay.get(d) ?? 0;
    let predicted = 0;
    for (const [firstDay, n] of cohorts)
      if (firstDay < last) predicted += n * predictor.expectedNew((last - firstDay) / perUnit);
    rows.push({ week: w, actual, predicted });
  }
  return rows;
}
