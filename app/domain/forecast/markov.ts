/**
 * Segment forecast: a Markov chain over monthly segment transitions.
 *
 * States are the RFM segments. A customer scored on the earlier date and not on the later one has left the
 * scored set (GONE, absorbing). "Not yet a customer" is not a state with a probability — its population is
 * unknown — so customers who enter are modelled as an inflow: the mean number of customers per month entering
 * each segment over the observed months, added after each step. Sizes one step on:
 *   next[j] = Σ_i size[i] · P[i][j] + inflow[j].
 * A step is 30 days, so 30 and 90 days are one and three steps.
 */
import { SEGMENT_KEYS } from "../rfm/segments";

export const STEP_DAYS = 30;
/** Monthly transitions needed before the app forecasts anything. */
export const MIN_OBSERVED_MONTHS = 3;
/** How many past months the chain is estimated from (older behaviour matters less). */
export const MAX_OBSERVED_MONTHS = 12;
export const GONE = "gone";

/** Customers that went from one segment to another between two dates (null: not scored on that date). */
export interface Transition {
  from: string | null;
  to: string | null;
  customers: number;
}

export interface SegmentChain {
  /** Segments, in order from best to worst. */
  states: string[];
  /** matrix[i][j]: P(state j a month later | state i); the last column is GONE. Rows sum to 1. */
  matrix: number[][];
  /** Mean customers entering each state per month (new customers). */
  inflow: number[];
  /** Monthly transitions the chain was estimated from. */
  months: number;
  /** Customers observed in each state at the start of a month, summed over the months (the row's evidence). */
  observed: number[];
}

/** Segments best to worst (the segment table's order); lost_engaged is as far down as lost. */
export function segmentRank(segment: string): number {
  if (segment === "lost_engaged") return SEGMENT_KEYS.indexOf("lost");
  const i = (SEGMENT_KEYS as readonly string[]).indexOf(segment);
  return i < 0 ? SEGMENT_KEYS.length : i;
}

/**
 * Maximum-likelihood transition matrix: counts of i → j summed over the months, divided by the row's total.
 * A segment nobody was in stays put (identity row): there is no evidence it moves.
 */
export function estimateChain(months: readonly (readonly Transition[])[], states: readonly string[]): SegmentChain {
  const index = new Map(states.map((s, i) => [s, i]));
  const n = states.length;
  const counts = Array.from({ length: n }, () => new Array<number>(n + 1).fill(0));
  const inflow = new Array<number>(n).fill(0);
  for (const month of months)
    for (const t of month) {
      const to = t.to === null ? n : index.get(t.to);
      if (to === undefined) throw new Error(`unknown segment ${t.to}`);
      if (t.from === null) {
        if (to < n) inflow[to] = (inflow[to] as number) + t.customers;
        continue;
      }
      const from = index.get(t.from);
      if (from === undefined) throw new Error(`unknown segment ${t.from}`);
      const row = counts[from] as number[];
      row[to] = (row[to] as number) + t.customers;
    }
  const observed = counts.map((row) => row.reduce((a, b) => a + b, 0));
  const matrix = counts.map((row, i) => {
    const total = observed[i] as number;
    return total > 0 ? row.map((c) => c / total) : row.map((_, j) => (j === i ? 1 : 0));
  });
  const m = Math.max(months.length, 1);
  return { states: [...states], matrix, inflow: inflow.map((v) => v / m), months: months.length, observed };
}

/** Expected sizes `steps` months after `sizes` (one value per state). */
export function forecastSizes(chain: SegmentChain, sizes: readonly number[], steps: number): number[] {
  let current = [...sizes];
  const n = chain.states.length;
  for (let s = 0; s < steps; s++) {
    const next = [...chain.inflow];
    for (let i = 0; i < n; i++) {
      const row = chain.matrix[i] as number[];
      const size = current[i] as number;
      if (size === 0) continue;
      for (let j = 0; j < n; j++) next[j] = (next[j] as number) + size * (row[j] as number);
    }
    current = next;
  }
  return current;
}

/** P(same segment or a better one next month | segment): the chain's row over states ranked at or above it. */
export function stayOrUpProbability(chain: SegmentChain, segment: string): number {
  const i = chain.states.indexOf(segment);
  if (i < 0) return 1;
  const rank = segmentRank(segment);
  const row = chain.matrix[i] as number[];
  return chain.states.reduce((p, s, j) => (segmentRank(s) <= rank ? p + (row[j] as number) : p), 0);
}

/**
 * P(moving down next month). With a purchase-model prediction:
 *   P(down) = 1 − P(alive) · P(stay-or-up | segment).
 * A customer keeps their place only if they are still buying (P(alive)) and, being so, do what customers of
 * their segment do (the chain's row). One who stopped buying only loses recency, so they are counted as moving
 * down. The row already mixes alive and dead customers, so this leans towards "down" — it ranks customers,
 * the segment sizes come from the chain alone. Without a prediction: 1 − P(stay-or-up | segment).
 */
export function moveDownProbability(chain: SegmentChain, segment: string, pAlive: number | null): number {
  const stay = stayOrUpProbability(chain, segment);
  return 1 - (pAlive === null ? 1 : Math.min(Math.max(pAlive, 0), 1)) * stay;
}

/**
 * The month-start dates of the observed months: asOf, asOf − 30, … back to the first date of real history
 * (the shop's first full scoring run; a reconstructed run's dates do not count), at most MAX_OBSERVED_MONTHS
 * transitions. Returned oldest first; consecutive pairs are the monthly transitions.
 */
export function observedMonthDays(asOfDay: number, historyStartDay: number | null): number[] {
  if (historyStartDay === null) return [];
  const days: number[] = [];
  for (let k = 0; k <= MAX_OBSERVED_MONTHS; k++) {
    const d = asOfDay - k * STEP_DAYS;
    if (d < historyStartDay) break;
    days.push(d);
  }
  return days.reverse();
}

export interface SegmentSizeRow {
  segment: string;
  now: number;
  in30: number;
  in90: number;
}

export interface BacktestRow {
  segment: string;
  /** Size a month ago, the forecast from it for today, and today's actual size. */
  start: number;
  predicted: number;
  actual: number;
}

export interface SegmentBacktest {
  rows: BacktestRow[];
  /** Σ|predicted − actual| / Σ actual: the mean absolute percentage error over segments weighted by size. */
  weightedMape: number;
  months: number;
}

/**
 * Forecast from the state a month ago with a chain estimated only from the months before it, against the
 * sizes now. `months` are the transitions oldest first; the last one is the month being forecast.
 */
export function backtestSegments(
  months: readonly (readonly Transition[])[],
  states: readonly string[],
  sizesMonthAgo: readonly number[],
  sizesNow: readonly number[],
): SegmentBacktest {
  const chain = estimateChain(months.slice(0, -1), states);
  const predicted = forecastSizes(chain, sizesMonthAgo, 1);
  const rows = states.map((segment, i) => ({
    segment,
    start: sizesMonthAgo[i] as number,
    predicted: predicted[i] as number,
    actual: sizesNow[i] as number,
  }));
  return { rows, weightedMape: weightedMape(rows), months: chain.months };
}

export function weightedMape(rows: readonly { predicted: number; actual: number }[]): number {
  const actual = rows.reduce((s, r) => s + r.actual, 0);
  const error = rows.reduce((s, r) => s + Math.abs(r.predicted - r.actual), 0);
  return actual > 0 ? error / actual : 0;
}

export function sizeForecast(chain: SegmentChain, sizesNow: readonly number[]): SegmentSizeRow[] {
  const in30 = forecastSizes(chain, sizesNow, 1);
  const in90 = forecastSizes(chain, sizesNow, 3);
  return chain.states.map((segment, i) => ({
    segment,
    now: sizesNow[i] as number,
    in30: in30[i] as number,
    in90: in90[i] as number,
  }));
}

/** Customers who share a segment and a purchase summary, with the purchase model's P(alive) (null: none). */
export interface CustomerGroup<K> {
  key: K;
  segment: string;
  customers: number;
  pAlive: number | null;
}

/**
 * The groups to list as most likely to move down: highest P(down) first, as many groups as it takes to
 * reach `limit` customers (the list is then cut at `limit`).
 */
export function movingDownGroups<K>(
  chain: SegmentChain,
  groups: readonly CustomerGroup<K>[],
  limit: number,
): (CustomerGroup<K> & { pDown: number })[] {
  const ranked = groups
    .map((g) => ({ ...g, pDown: moveDownProbability(chain, g.segment, g.pAlive) }))
    .sort((a, b) => b.pDown - a.pDown);
  const out: (CustomerGroup<K> & { pDown: number })[] = [];
  let customers = 0;
  for (const g of ranked) {
    // Ties at the cut all stay in: the database picks the most valuable among them.
    if (customers >= limit && g.pDown < (out.at(-1)?.pDown ?? Infinity)) break;
    out.push(g);
    customers += g.customers;
  }
  return out;
}
