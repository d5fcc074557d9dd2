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
export function scoreCustomers(
  customers: readonly CustomerValues[],
  options: ScoreOptions,
): { scored: ScoredCustomer[]; cutoffs: RunCutoffs } {
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
    return {
      ...c,
      recencyDays: recency[i] as number,
      r: rs,
      f: fs,
      m: ms,
      segment: lookup[tripleIndex(scale, rs, fs, ms)] as SegmentKey,
    };
  });
  return { scored, cutoffs: { r: r.cutoffs, f: f.cutoffs, m: m.cutoffs } };
}

export interface OrderRow {
  customerId: string;
  day: number;
  amount: Money;
}

/**
 * Accumulates per-customer values from order rows, one row at a time (a
 * file of any length streams through it). Window: orders after (asOf − N
 * months) up to and including asOf; orders after asOf are outside every window.
 */
export class CustomerValuesAccumulator {
  private readonly byCustomer = new Map<string, CustomerValues>();
  private readonly from: number;
  readonly counts = { counted: 0, afterAsOf: 0, beforeWindow: 0 };

  constructor(
    private readonly asOfDay: number,
    windowMonths: number | null,
  ) {
    this.from = windowMonths === null ? Number.NEGATIVE_INFINITY : minusMonths(asOfDay, windowMonths);
  }

  add(row: OrderRow): void {
    if (row.day > this.asOfDay) {
      this.counts.afterAsOf++;
      return;
    }
    if (row.day <= this.from) {
      this.counts.beforeWindow++;
      return;
    }
    this.counts.counted++;
    const c = this.byCustomer.get(row.customerId);
    if (!c)
      this.byCustomer.set(row.customerId, {
        customerId: row.customerId,
        lastOrderDay: row.day,
        frequency: 1,
        monetary: row.amount,
      });
    else {
      c.frequency++;
      c.monetary += row.amount;
      if (row.day > c.lastOrderDay) c.lastOrderDay = row.day;
    }
  }

  values(): CustomerValues[] {
    return [...this.byCustomer.values()];
  }
}

export function valuesFromOrders(
  rows: Iterable<OrderRow>,
  asOfDay: number,
  windowMonths: number | null,
): CustomerValues[] {
  const acc = new CustomerValuesAccumulator(asOfDay, windowMonths);
  for (const row of rows) acc.add(row);
  return acc.values();
}
