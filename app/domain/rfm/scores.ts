/**
 * The score rule, exactly: L = how many of the n scored customers have a
 * strictly worse value; score = 1 + floor(S × L / n). Equal values always
 * share a score. The SQL service computes the same thing with rank().
 */
export type Scale = 4 | 5;
export type Direction = "higher_is_better" | "lower_is_better";

export function scoreFromRank(worse: number, n: number, scale: Scale): number {
  if (n <= 0 || worse < 0 || worse >= n) throw new RangeError(`rank ${worse} outside 0..${n - 1}`);
  return 1 + Math.floor((scale * worse) / n);
}

/** The value range one score covers in a run: what the UI explains a score with. */
export interface Cutoff<V> {
  score: number;
  min: V;
  max: V;
  customers: number;
}

type Comparable = number | bigint;

const compare = (a: Comparable, b: Comparable) => (a < b ? -1 : a > b ? 1 : 0);

/** Ascending copy; numbers sort as a typed array, without a comparator call per pair. */
function ascending<V extends Comparable>(values: ArrayLike<V>): ArrayLike<V> {
  if (values instanceof Int32Array) return values.slice().sort() as ArrayLike<number> as ArrayLike<V>;
  if (values.length === 0 || typeof values[0] === "number")
    return Float64Array.from(values as ArrayLike<number>).sort() as ArrayLike<number> as ArrayLike<V>;
  return Array.from(values).sort(compare);
}

/**
 * Scores every value by rank. O(n log n): sort a copy once; each distinct
 * value's score follows from how many values lie below it, and each value
 * finds its distinct value by binary search. Takes plain or typed arrays.
 */
export function rankScores<V extends Comparable>(
  values: ArrayLike<V>,
  direction: Direction,
  scale: Scale,
): { scores: Uint8Array; cutoffs: Cutoff<V>[] } {
  const n = values.length;
  const sorted = ascending(values);
  const distinct: V[] = [];
  const scoreOf: number[] = [];
  for (let start = 0; start < n;) {
    const v = sorted[start] as V;
    let end = start + 1;
    while (end < n && sorted[end] === v) end++;
    // Strictly worse: the values below when higher is better, above when lower is better.
    const worse = direction === "higher_is_better" ? start : n - end;
    distinct.push(v);
    scoreOf.push(scoreFromRank(worse, n, scale));
    start = end;
  }
  const scores = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i] as V;
    let lo = 0;
    let hi = distinct.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((distinct[mid] as V) < v) lo = mid + 1;
      else hi = mid;
    }
    scores[i] = scoreOf[lo] as number;
  }
  return { scores, cutoffs: cutoffsOf(values, scores) };
}

/** F by fixed thresholds: thresholds[s-1] is the smallest order count that scores s. */
export function thresholdScore(value: number, thresholds: readonly number[]): number {
  let score = 1;
  for (let s = 0; s < thresholds.length; s++) if (value >= (thresholds[s] as number)) score = s + 1;
  return score;
}

export function cutoffsOf<V extends Comparable>(values: ArrayLike<V>, scores: ArrayLike<number>): Cutoff<V>[] {
  const byScore: (Cutoff<V> | undefined)[] = [];
  for (let i = 0; i < values.length; i++) {
    const score = scores[i] as number;
    const v = values[i] as V;
    const c = byScore[score];
    if (!c) byScore[score] = { score, min: v, max: v, customers: 1 };
    else {
      if (v < c.min) c.min = v;
      if (v > c.max) c.max = v;
      c.customers++;
    }
  }
  return byScore.filter((c): c is Cutoff<V> => c !== undefined);
}

/**
 * Scores one new value against a finished run's cut-offs (a fresh order must
 * not wait for the nightly ranking): the best score whose range the value
 * reaches; below every range → 1.
 */
export function scoreAgainstCutoffs<V extends Comparable>(
  value: V,
  cutoffs: readonly Cutoff<V>[],
  direction: Direction,
): number {
  let score = 1;
  for (const c of cutoffs) {
    const reaches = direction === "higher_is_better" ? value >= c.min : value <= c.max;
    if (reaches && c.score > score) score = c.score;
  }
  return score;
}
