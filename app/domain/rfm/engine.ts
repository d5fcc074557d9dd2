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

/** Per-customer inputs as columns (plain or typed arrays of equal length), index = customer. */
export interface CustomerColumns<M extends number | bigint> {
  lastOrderDay: ArrayLike<number>;
  frequency: ArrayLike<number>;
  /** Money units (1e-4): bigint, or numbers that are exact integers. */
  monetary: ArrayLike<M>;
}

export interface ScoredColumns<M extends number | bigint> {
  recencyDays: Int32Array;
  r: Uint8Array;
  f: Uint8Array;
  m: Uint8Array;
  segments: SegmentKey[];
  cutoffs: { r: Cutoff<number>[]; f: Cutoff<number>[]; m: Cutoff<M>[] };
}

/** The one implementation of the score rule over customers; scoreCustomers and the CLI's columns both use it. */
export function scoreColumns<M extends number | bigint>(
  columns: CustomerColumns<M>,
  options: ScoreOptions,
): ScoredColumns<M> {
  const { scale } = options;
  const n = columns.lastOrderDay.length;
  const lookup = segmentLookup(options.rules, scale);
  const recencyDays = new Int32Array(n);
  for (let i = 0; i < n; i++) recencyDays[i] = Math.max(0, options.asOfDay - (columns.lastOrderDay[i] as number));
  const r = rankScores(recencyDays, "lower_is_better", scale);
  const f =
    options.frequencyMode === "rank"
      ? rankScores(columns.frequency, "higher_is_better", scale)
      : (() => {
          const scores = Uint8Array.from(columns.frequency, (v) => thresholdScore(v, options.frequencyThresholds));
          return { scores, cutoffs: cutoffsOf(columns.frequency, scores) };
        })();
  const m = rankScores(columns.monetary, "higher_is_better", scale);
  const segments: SegmentKey[] = new Array<SegmentKey>(n);
  for (let i = 0; i < n; i++)
    segments[i] = lookup[
      tripleIndex(scale, r.scores[i] as number, f.scores[i] as number, m.scores[i] as number)
    ] as SegmentKey;
  return {
    recencyDays,
    r: r.scores,
    f: f.scores,
    m: m.scores,
    segments,
    cutoffs: { r: r.cutoffs, f: f.cutoffs, m: m.cutoffs },
  };
}

/** Scores customers exactly as the app's SQL service does (same rule, same rule table). */
export function scoreCustomers(
  customers: readonly CustomerValues[],
  options: ScoreOptions,
): { scored: ScoredCustomer[]; cutoffs: RunCutoffs } {
  const s = scoreColumns(
    {
      lastOrderDay: customers.map((c) => c.lastOrderDay),
      frequency: customers.map((c) => c.frequency),
      monetary: customers.map((c) => c.monetary),
    },
    options,
  );
  const scored = customers.map((c, i) => ({
    ...c,
    recencyDays: s.recencyDays[i] as number,
    r: s.r[i] as number,
    f: s.f[i] as number,
    m: s.m[i] as number,
    segment: s.segments[i] as SegmentKey,
  }));
  return { scored, cutoffs: s.cutoffs };
}

export interface OrderRow {
  customerId: string;
  day: number;
  amount: Money;
}

/**
 * Which orders count. Window: orders after (asOf − N months) up to and
 * including asOf; orders after asOf are outside every window.
 */
export class OrderWindow {
  private readonly from: number;
  readonly counts = { counted: 0, afterAsOf: 0, beforeWindow: 0 };

  constructor(
    private readonly asOfDay: number,
    windowMonths: number | null,
  ) {
    this.from = windowMonths === null ? Number.NEGATIVE_INFINITY : minusMonths(asOfDay, windowMonths);
  }

  /** Whether an order of that day counts; tallies either way. */
  admit(day: number): boolean {
    if (day > this.asOfDay) {
      this.counts.afterAsOf++;
      return false;
    }
    if (day <= this.from) {
      this.counts.beforeWindow++;
      return false;
    }
    this.counts.counted++;
    return true;
  }
}

/** Accumulates per-customer values from order rows, one row at a time (a file of any length streams through it). */
export class CustomerValuesAccumulator {
  private readonly byCustomer = new Map<string, CustomerValues>();
  private readonly window: OrderWindow;

  constructor(asOfDay: number, windowMonths: number | null) {
    this.window = new OrderWindow(asOfDay, windowMonths);
  }

  get counts() {
    return this.window.counts;
  }

  add(row: OrderRow): void {
    if (!this.window.admit(row.day)) return;
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
