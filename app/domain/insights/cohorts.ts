import type { Cohort, CohortInsight } from "./shapes";

/** One row of pipeline/insights/cohort-curves.sql: a cohort's orders in one month since its first. */
export interface CohortCurveRow {
  cohort: string;
  offset: number;
  net: number;
  secondOrders: number;
}

/** One row of pipeline/insights/cohort-mix.sql; segment null = the cohort's size. */
export interface CohortMixRow {
  cohort: string;
  segment: string | null;
  customers: number;
}

/** "2024-03" → months since year 0. */
export function monthIndex(month: string): number {
  const [year, m] = month.split("-").map(Number);
  if (year === undefined || m === undefined || !Number.isInteger(year) || !(m >= 1 && m <= 12))
    throw new Error(`Not a month: ${month}`);
  return year * 12 + m - 1;
}

/** The heat map: every cohort, one cell per month from its first up to the run's month, running totals. */
export function cohortInsight(
  curve: readonly CohortCurveRow[],
  mix: readonly CohortMixRow[],
  asOfMonth: string,
): CohortInsight {
  const last = monthIndex(asOfMonth);
  const cohorts: Cohort[] = [];
  const months = [...new Set(mix.filter((r) => r.segment === null).map((r) => r.cohort))].sort();
  for (const month of months) {
    const customers = mix.find((r) => r.cohort === month && r.segment === null)?.customers ?? 0;
    if (customers === 0) continue;
    const segments: Record<string, number> = {};
    for (const r of mix) if (r.cohort === month && r.segment !== null) segments[r.segment] = r.customers;
    const byOffset = new Map(curve.filter((r) => r.cohort === month).map((r) => [r.offset, r]));
    // In cents, so the per-customer figure rounds half up exactly (no float drift over many months).
    let netCents = 0;
    let second = 0;
    const cells = [];
    for (let offset = 0; offset <= last - monthIndex(month); offset++) {
      const row = byOffset.get(offset);
      netCents += Math.round((row?.net ?? 0) * 100);
      second += row?.secondOrders ?? 0;
      cells.push({
        offset,
        cumulativeNetPerCustomer: Math.round(netCents / customers) / 100,
        repeatRate: second / customers,
      });
    }
    cohorts.push({ month, customers, segments, cells });
  }
  return { asOfMonth, cohorts };
}
