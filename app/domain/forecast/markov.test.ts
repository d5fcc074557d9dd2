import { describe, expect, it } from "vitest";
import { seededRandom } from "../clv/simulate";
import {
  backtestSegments,
  estimateChain,
  forecastSizes,
  moveDownProbability,
  movingDownGroups,
  observedMonthDays,
  stayOrUpProbability,
  weightedMape,
  type Transition,
} from "./markov";

const STATES = ["champions", "loyal", "at_risk", "lost"];
// Rows: from; columns: to (the four states, then gone). Known, and not symmetric.
const TRUE_P = [
  [0.7, 0.2, 0.05, 0.03, 0.02],
  [0.1, 0.6, 0.2, 0.08, 0.02],
  [0.05, 0.1, 0.5, 0.3, 0.05],
  [0.01, 0.02, 0.07, 0.85, 0.05],
];
const INFLOW = [20, 30, 0, 10];

/** Customers walking the known chain for `months` months, with new customers entering each month. */
function simulate(seed: number, customers: number, months: number) {
  const random = seededRandom(seed);
  let states: (number | null)[] = Array.from({ length: customers }, (_, i) => i % STATES.length);
  const history: Transition[][] = [];
  const sizes: number[][] = [];
  for (let m = 0; m < months; m++) {
    sizes.push(STATES.map((_, s) => states.filter((x) => x === s).length));
    const counts = new Map<string, Transition>();
    const add = (from: string | null, to: string | null) => {
      const key = `${from}>${to}`;
      const hit = counts.get(key);
      if (hit) hit.customers++;
      else counts.set(key, { from, to, customers: 1 });
    };
    const next: (number | null)[] = states.map((s) => {
      if (s === null) return null;
      const u = random();
      const row = TRUE_P[s] as number[];
      let acc = 0;
      for (let j = 0; j < row.length; j++) {
        acc += row[j] as number;
        if (u < acc) {
          const to = j < STATES.length ? j : null;
          add(STATES[s] as string, to === null ? null : (STATES[to] as string));
          return to;
        }
      }
      add(STATES[s] as string, null);
      return null;
    });
    INFLOW.forEach((n, j) => {
      for (let k = 0; k < n; k++) {
        next.push(j);
        add(null, STATES[j] as string);
      }
    });
    states = next;
    history.push([...counts.values()]);
  }
  sizes.push(STATES.map((_, s) => states.filter((x) => x === s).length));
  return { history, sizes };
}

function matrixPower(sizes: number[], steps: number): number[] {
  let v = sizes;
  for (let s = 0; s < steps; s++)
    v = STATES.map((_, j) => v.reduce((sum, size, i) => sum + size * ((TRUE_P[i] as number[])[j] as number), 0));
  return v;
}

describe("segment Markov chain", () => {
  it("recovers a known transition matrix from history generated from it", () => {
    const { history } = simulate(11, 20_000, 6);
    const chain = estimateChain(history, STATES);
    expect(chain.months).toBe(6);
    chain.matrix.forEach((row, i) => {
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      row.forEach((p, j) => expect(Math.abs(p - ((TRUE_P[i] as number[])[j] as number))).toBeLessThan(0.01));
    });
    chain.inflow.forEach((v, j) => expect(v).toBe(INFLOW[j]));
  });

  it("forecasts the matrix power of the sizes (no inflow), one and three steps", () => {
    const chain = { states: STATES, matrix: TRUE_P, inflow: [0, 0, 0, 0], months: 1, observed: [1, 1, 1, 1] };
    const sizes = [100, 250, 400, 1000];
    const one = forecastSizes(chain, sizes, 1);
    const three = forecastSizes(chain, sizes, 3);
    matrixPower(sizes, 1).forEach((v, j) => expect(one[j]).toBeCloseTo(v, 9));
    matrixPower(sizes, 3).forEach((v, j) => expect(three[j]).toBeCloseTo(v, 9));
    // Gone takes its share: fewer customers in total after each step.
    expect(three.reduce((a, b) => a + b, 0)).toBeLessThan(one.reduce((a, b) => a + b, 0));
  });

  it("adds the monthly inflow after each step", () => {
    const chain = { states: STATES, matrix: TRUE_P, inflow: INFLOW, months: 1, observed: [1, 1, 1, 1] };
    const sizes = [100, 250, 400, 1000];
    const one = forecastSizes(chain, sizes, 1);
    matrixPower(sizes, 1).forEach((v, j) => expect(one[j]).toBeCloseTo(v + (INFLOW[j] as number), 9));
  });

  it("keeps a segment nobody was in where it is", () => {
    const chain = estimateChain([[{ from: "champions", to: "loyal", customers: 3 }]], STATES);
    expect(chain.matrix[0]).toEqual([0, 1, 0, 0, 0]);
    expect(chain.matrix[2]).toEqual([0, 0, 1, 0, 0]);
  });

  it("P(down) combines the chain's row with P(alive)", () => {
    const chain = { states: STATES, matrix: TRUE_P, inflow: INFLOW, months: 1, observed: [1, 1, 1, 1] };
    // loyal: stay or up = loyal + champions.
    expect(stayOrUpProbability(chain, "loyal")).toBeCloseTo(0.7, 12);
    expect(moveDownProbability(chain, "loyal", null)).toBeCloseTo(0.3, 12);
    expect(moveDownProbability(chain, "loyal", 0.5)).toBeCloseTo(1 - 0.5 * 0.7, 12);
    expect(moveDownProbability(chain, "loyal", 0)).toBe(1);
    // lost can only go to gone: down = 0.05 without a prediction.
    expect(moveDownProbability(chain, "lost", null)).toBeCloseTo(0.05, 12);
  });

  it("lists the groups most likely to move down until the limit, ties at the cut included", () => {
    const chain = { states: STATES, matrix: TRUE_P, inflow: INFLOW, months: 1, observed: [1, 1, 1, 1] };
    const groups = [
      { key: "a", segment: "champions", customers: 10, pAlive: 0.9 }, // 1 − 0.9·0.7 = 0.37
      { key: "b", segment: "loyal", customers: 10, pAlive: 0.2 }, // 1 − 0.2·0.7 = 0.86
      { key: "c", segment: "loyal", customers: 10, pAlive: null }, // 0.3
      { key: "d", segment: "lost", customers: 5, pAlive: 0.5 }, // 1 − 0.5·0.95 = 0.525
      { key: "e", segment: "lost", customers: 5, pAlive: 0.5 },
    ];
    const picked = movingDownGroups(chain, groups, 12);
    expect(picked.map((g) => g.key)).toEqual(["b", "d", "e"]);
    expect(picked[0]?.pDown).toBeCloseTo(0.86, 12);
    expect(movingDownGroups(chain, groups, 10).map((g) => g.key)).toEqual(["b"]);
  });

  it("back-tests a month ago's forecast against today's sizes with a chain that never saw this month", () => {
    const { history, sizes } = simulate(5, 20_000, 5);
    const monthAgo = sizes[4] as number[];
    const now = sizes[5] as number[];
    const backtest = backtestSegments(history, STATES, monthAgo, now);
    expect(backtest.months).toBe(4);
    // Same chain every month: the forecast is within sampling noise.
    expect(backtest.weightedMape).toBeLessThan(0.03);
    backtest.rows.forEach((r, i) => {
      expect(r.actual).toBe(now[i]);
      expect(r.start).toBe(monthAgo[i]);
    });
    // The error is what it says: Σ|p − a| / Σ a.
    expect(
      weightedMape([
        { predicted: 110, actual: 100 },
        { predicted: 0, actual: 300 },
      ]),
    ).toBeCloseTo(310 / 400, 12);
  });

  it("counts only months from the first real (not reconstructed) run", () => {
    expect(observedMonthDays(1000, null)).toEqual([]);
    expect(observedMonthDays(1000, 1000)).toEqual([1000]);
    expect(observedMonthDays(1000, 905)).toEqual([910, 940, 970, 1000]);
    expect(observedMonthDays(1000, 0)).toHaveLength(13);
  });
});
