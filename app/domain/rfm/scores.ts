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

/**
 * Scores every value by rank. O(n log n): sort once, and within a run of
 * equal values the number of strictly worse values is the run's start.
 */
export function rankScores<V extends Comparable>(
  values: readonly V[],
  direction: Direction,
  scale: Scale,
): { scores: Uint8Array; cutoffs: Cutoff<V>[] } {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i);
  // Worst first.
  const sign = direction === "higher_is_better" ? 1 : -1;
  order.sort((a, b) => sign * compare(values[a] as V, values[b] as V));
  const scores = new Uint8Array(n);
  let start = 0;
  while (start < n) {
    let end = start;
    const v = values[order[start] as number] as V;
    while (end < n && compare(values[order[end] as number] as V, v) === 0) end++;
    const score = scoreFromRank(start, n, scale);
    for (let k = start; k < end; k++) scores[order[k] as number] = score;
    start = end;
  }
  return { scores, cutoffs: cutoffsOf(values, scores) };
}

/** F by fixed thresholds: thresholds[s-1] is the smallest order count that scores s. */
export function thresholdScore(value: number, thresholds: readonly number[]): number {
  let score = 1;
  for (let s = 0; s < thresholds.length; s++) if (value >= (thresholds[s] as number)) score = s + 1;
  return score;
}

export function cutoffsOf<V extends Comparable>(values: readonly V[], scores: ArrayLike<number>): Cutoff<V>[] {
  const byScore = new Map<number, Cutoff<V>>();
  for (let i = 0; i < values.length; i++) {
    const score = scores[i] as number;
    const v = values[i] as V;
    const c = byScore.get(score);
    if (!c) byScore.set(score, { score, min: v, max: v, customers: 1 });
    else {
      if (v < c.min) c.min = v;
      if (v > c.max) c.max = v;
      c.customers++;
    }
  }
  return [...byScore.values()].sort((a, b) => a.score - b.score);
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
