/**
 * From transactions to the (x, t_x, T) summary the models are fitted on.
 * Purchases on the same day are one transaction (the papers' convention);
 * x counts repeat transactions (after the first) up to the calibration end,
 * t_x and T are measured from the first purchase in the chosen unit.
 */

export type TimeUnit = "week" | "day";
export const DAYS_PER_UNIT: Record<TimeUnit, number> = { week: 7, day: 1 };

export interface Transaction {
  customerId: string;
  /** Days since the epoch (UTC calendar date). */
  day: number;
  /** Money in the input's units (the CLI reads 1e-4 units and converts). */
  amount: number;
}

export interface CustomerSummary {
  customerId: string;
  firstDay: number;
  /** Repeat transactions in the calibration period. */
  x: number;
  /** Days from first purchase to the last calibration purchase. */
  txDays: number;
  /** Days from first purchase to the calibration end. */
  TDays: number;
  /** Mean value of the repeat transactions (0 without any). */
  meanRepeatValue: number;
  /** Repeat transactions after the calibration end, up to the holdout end (0 without a holdout). */
  holdoutX: number;
  /** Days of the repeat transactions (calibration and holdout), for the cumulative comparison. */
  repeatDays: number[];
}

export interface SummaryCounts {
  transactions: number;
  /** Transactions after merging same-day purchases of a customer. */
  purchaseDays: number;
  /** Customers whose first purchase falls after the calibration end (not fitted). */
  customersAfterCalibration: number;
  /** Transactions after the holdout end (or after the calibration end without a holdout). */
  transactionsAfterEnd: number;
}

export function summarise(
  transactions: Iterable<Transaction>,
  calibrationEndDay: number,
  holdoutEndDay: number | null,
): { customers: CustomerSummary[]; counts: SummaryCounts } {
  const end = holdoutEndDay ?? calibrationEndDay;
  const byCustomer = new Map<string, Map<number, number>>();
  let count = 0;
  let afterEnd = 0;
  for (const t of transactions) {
    count++;
    if (t.day > end) {
      afterEnd++;
      continue;
    }
    let days = byCustomer.get(t.customerId);
    if (!days) byCustomer.set(t.customerId, (days = new Map()));
    days.set(t.day, (days.get(t.day) ?? 0) + t.amount);
  }
  const customers: CustomerSummary[] = [];
  let purchaseDays = 0;
  let after = 0;
  for (const [customerId, days] of byCustomer) {
    purchaseDays += days.size;
    const sorted = [...days.keys()].sort((a, b) => a - b);
    const firstDay = sorted[0] as number;
    if (firstDay > calibrationEndDay) {
      after++;
      continue;
    }
    let x = 0;
    let last = firstDay;
    let value = 0;
    let holdoutX = 0;
    for (const day of sorted.slice(1)) {
      if (day <= calibrationEndDay) {
        x++;
        last = day;
        value += days.get(day) ?? 0;
      } else holdoutX++;
    }
    customers.push({
      customerId,
      firstDay,
      x,
      txDays: last - firstDay,
      TDays: calibrationEndDay - firstDay,
      meanRepeatValue: x > 0 ? value / x : 0,
      holdoutX,
      repeatDays: sorted.slice(1),
    });
  }
  return {
    customers,
    counts: { transactions: count, purchaseDays, customersAfterCalibration: after, transactionsAfterEnd: afterEnd },
  };
}

/** Distinct (x, t_x, T) with how many customers share each, in the model's unit. */
export interface TupleSet {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  count: Float64Array;
  customers: number;
}

export interface RfmTriple {
  x: number;
  txDays: number;
  TDays: number;
}

export function distinctTuples(customers: Iterable<RfmTriple>, unit: TimeUnit): TupleSet {
  const counts = new Map<number, { x: number; txDays: number; TDays: number; n: number }>();
  let total = 0;
  for (const c of customers) {
    total++;
    if (c.x >= 90_000 || c.TDays >= 100_000) throw new Error(`summary out of range: x=${c.x}, T=${c.TDays} days`);
    // A number key (exact below 2^53) is several times faster than a string at a million customers.
    const key = (c.x * 100_000 + c.txDays) * 100_000 + c.TDays;
    const hit = counts.get(key);
    if (hit) hit.n++;
    else counts.set(key, { x: c.x, txDays: c.txDays, TDays: c.TDays, n: 1 });
  }
  const n = counts.size;
  const set: TupleSet = {
    x: new Float64Array(n),
    tx: new Float64Array(n),
    T: new Float64Array(n),
    count: new Float64Array(n),
    customers: total,
  };
  const perUnit = DAYS_PER_UNIT[unit];
  let i = 0;
  for (const v of counts.values()) {
    set.x[i] = v.x;
    set.tx[i] = v.txDays / perUnit;
    set.T[i] = v.TDays / perUnit;
    set.count[i] = v.n;
    i++;
  }
  return set;
}

/** A tuple set of customers already in the model's unit, one row each (simulations, tests). */
export function tupleSetOf(rows: readonly { x: number; tx: number; T: number }[]): TupleSet {
  return {
    x: Float64Array.from(rows, (r) => r.x),
    tx: Float64Array.from(rows, (r) => r.tx),
    T: Float64Array.from(rows, (r) => r.T),
    count: new Float64Array(rows.length).fill(1),
    customers: rows.length,
  };
}

/** Each tuple's t_x and T as an index into its set's distinct values (a shop has a few thousand), and customers per x. */
export interface TupleIndex {
  values: Float64Array;
  /** Customers per x (index = x). */
  xWeight: Float64Array;
  tx: Uint32Array;
  T: Uint32Array;
}
const indexes = new WeakMap<TupleSet, TupleIndex>();

export function tupleIndex(set: TupleSet): TupleIndex {
  const cached = indexes.get(set);
  if (cached) return cached;
  const positions = new Map<number, number>();
  const at = (v: number) => {
    let i = positions.get(v);
    if (i === undefined) positions.set(v, (i = positions.size));
    return i;
  };
  const tx = Uint32Array.from(set.tx, at);
  const T = Uint32Array.from(set.T, at);
  const xWeight = new Float64Array(set.x.reduce((m, x) => Math.max(m, x), 0) + 1);
  set.x.forEach((x, i) => (xWeight[x] = (xWeight[x] as number) + (set.count[i] as number)));
  const built: TupleIndex = { tx, T, values: Float64Array.from(positions.keys()), xWeight };
  indexes.set(set, built);
  return built;
}
