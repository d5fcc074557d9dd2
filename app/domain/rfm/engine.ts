import type { Money } from "../money";
import { minusMonths } from "./dates";
import { rankScores, thresholdScore, cutoffsOf, type Cutoff, type Scale } from "./scores";
import { segmentLookup, tripleIndex, type SegmentKey, type SegmentRule } from "./segments";

/** One customer's inputs in a scoring window. */
export interface CustomerValues {
  customerId: string;
  /** Local calendar date of the last counted order, as an epoch day. */
  lastOrderDay: number;
  frequency: number;
  monetary: Money;
}

export interface ScoreOptions {
  asOfDay: number;
  scale: Scale;
  frequencyMode: "rank" | "thresholds";
  frequencyThresholds: readonly number[];
  rules: readonly SegmentRule[];
}

export interface ScoredCustomer extends CustomerValues {
  recencyDays: number;
  r: number;
  f: number;
  m: number;
  segment: SegmentKey;
}

export interface RunCutoffs {
  r: Cutoff<number>[];
  f: Cutoff<number>[];
  m: Cutoff<Money>[];
}

/** Scores customers exactly as the app's SQL service does (same rule, same rule table). */
export function scoreCustomers(customers: readonly CustomerValues[], options: ScoreOptions): { scored: ScoredCustomer[]; cutoffs: RunCutoffs } {
  const { scale } = options;
  const lookup = segmentLookup(options.rules, scale);
  const recency = customers.map((c) => Math.max(0, options.asOfDay - c.lastOrderDay));
  const frequency = customers.map((c) => c.frequency);
  const monetary = customers.map((c) => c.monetary);
  const r = rankScores(recency, "lower_is_better", scale);
  const f =
    options.frequencyMode === "rank"
      ? rankScores(frequency, "higher_is_better", scale)
      : (() => {
          const scores = Uint8Array.from(frequency, (v) => thresholdScore(v, options.frequencyThresholds));
          return { scores, cutoffs: cutoffsOf(frequency, scores) };
        })();
  const m = rankScores(monetary, "higher_is_better", scale);
  const scored = customers.map((c, i) => {
    const [rs, fs, ms] = [r.scores[i] as number, f.scores[i] as number, m.scores[i] as number];
    return { ...c, recencyDays: recency[i] as number, r: rs, f: fs, m: ms, segment: lookup[tripleIndex(scale, rs, fs, ms)] as SegmentKey };
  });
  return { scored, cutoffs: { r: r.cutoffs, f: f.cutoffs, m: m.cutoffs } };
}

export interface OrderRow {
  customerId: string;
  day: number;
  amount: Money;
}

/**
 * Per-customer values from order rows. Window: orders after (asOf − N months)
 * up to and including asOf; orders after asOf are outside every window.
 */
export function valuesFromOrders(rows: Iterable<OrderRow>, asOfDay: number, windowMonths: number | null): CustomerValues[] {
  const from = windowMonths === null ? Number.NEGATIVE_INFINITY : minusMonths(asOfDay, windowMonths);
  const byCustomer = new Map<string, CustomerValues>();
  for (const row of rows) {
    if (row.day > asOfDay || row.day <= from) continue;
    const c = byCustomer.get(row.customerId);
    if (!c) byCustomer.set(row.customerId, { customerId: row.customerId, lastOrderDay: row.day, frequency: 1, monetary: row.amount });
    else {
      c.frequency++;
      c.monetary += row.amount;
      if (row.day > c.lastOrderDay) c.lastOrderDay = row.day;
    }
  }
  return [...byCustomer.values()];
}
