import { describe, expect, it } from "vitest";
import { BG_NBD, MBG_NBD } from "./bgnbd";
import { fitModel, type TransactionModel } from "./model";
import { PARETO_NBD } from "./pareto";
import { seededRandom, simulateCustomer } from "./simulate";
import { gammaln } from "./special";
import { tupleSetOf } from "./summary";

// Generic parameter sets, not the CDNOW optima; Pareto's lifetime is short enough
// against T for s and β to be identified by a few thousand customers.
const TRUTH: [TransactionModel, number[], number][] = [
  [BG_NBD, [0.3, 5, 0.7, 3], 5000],
  [MBG_NBD, [0.6, 8, 0.8, 2], 5000],
  [PARETO_NBD, [0.5, 5, 1.5, 20], 3000],
];

function simulate(model: TransactionModel, params: number[], n: number, seed: number) {
  const random = seededRandom(seed);
  // Staggered first purchases: T from one to two years (in weeks).
  return Array.from({ length: n }, (_, i) => simulateCustomer(random, model.name, params, 52 + (i % 52)));
}

describe.each(TRUTH.map(([model, truth, n]) => ({ name: model.name, model, truth, n })))(
  "$name",
  ({ model, truth, n }) => {
    const rows = simulate(model, truth, n, 17);
    const set = tupleSetOf(rows);

    it("GIVEN customers simulated from the model THEN the fit recovers its parameters from every generic start", () => {
      const fit = fitModel(model, set);
      expect(fit.converged).toBe(true);
      expect(fit.startsAgreed).toBe(true);
      const found = model.paramNames.map((name) => fit.params[name] as number);
      found.forEach((v, i) => expect(Math.abs(v / (truth[i] as number) - 1)).toBeLessThan(0.2));
      expect(fit.ll).toBeGreaterThanOrEqual(model.logLikelihood(set, truth.map(Math.log)).value);
    });

    it("GIVEN a point away from the optimum THEN the gradient matches central differences of the likelihood", () => {
      const theta = [-0.5, 1.2, 0.3, 0.9];
      const { gradient } = model.logLikelihood(set, theta);
      theta.forEach((_, i) => {
        const h = 1e-4;
        const at = (d: number) =>
          model.logLikelihood(
            set,
            theta.map((t, j) => (j === i ? t + d : t)),
          ).value;
        const numeric = (at(h) - at(-h)) / (2 * h);
        expect(Math.abs((gradient[i] as number) - numeric)).toBeLessThan(1e-4 * Math.max(1, Math.abs(numeric)));
      });
    });

    it("GIVEN new customers simulated over a year THEN E[X(t)] matches their mean number of repeat purchases", () => {
      const random = seededRandom(99);
      const t = 52;
      const counts = Array.from({ length: 20_000 }, () => simulateCustomer(random, model.name, truth, t).x);
      const mean = counts.reduce((s, c) => s + c, 0) / counts.length;
      const sd = Math.sqrt(counts.reduce((s, c) => s + (c - mean) ** 2, 0) / counts.length);
      const expected = model.predictor(truth).expectedNew(t);
      expect(Math.abs(expected - mean)).toBeLessThan((4 * sd) / Math.sqrt(counts.length));
    });

    it("GIVEN any customer THEN P(alive), E[orders] and P(no order) are consistent", () => {
      const p = model.predictor(truth);
      for (const c of [
        { x: 0, tx: 0, T: 40 },
        { x: 3, tx: 10, T: 40 },
        { x: 3, tx: 39, T: 40 },
        { x: 25, tx: 30, T: 40 },
      ]) {
        const alive = p.pAlive(c);
        expect(alive).toBeGreaterThan(0);
        expect(alive).toBeLessThanOrEqual(1);
        const none = p.pNone(13, c);
        expect(none).toBeGreaterThanOrEqual(1 - alive - 1e-12);
        expect(none).toBeLessThan(1);
        expect(p.expected(26, c)).toBeGreaterThan(p.expected(13, c));
      }
      // A recent buyer is more likely alive than one with the same orders long ago.
      expect(p.pAlive({ x: 3, tx: 39, T: 40 })).toBeGreaterThan(p.pAlive({ x: 3, tx: 10, T: 40 }));
    });
  },
);

describe("one-time buyers", () => {
  it("GIVEN x = 0 THEN BG/NBD says certainly alive (its known flaw) and MBG/NBD does not", () => {
    expect(BG_NBD.predictor([0.3, 5, 0.7, 3]).pAlive({ x: 0, tx: 0, T: 100 })).toBe(1);
    expect(MBG_NBD.predictor([0.6, 8, 0.8, 2]).pAlive({ x: 0, tx: 0, T: 100 })).toBeLessThan(0.7);
  });
});

describe("Pareto/NBD likelihood", () => {
  // Independent: the integral over the death time by Simpson's rule, not the 2F1 closed form.
  function byQuadrature(
    [r, alpha, s, beta]: [number, number, number, number],
    x: number,
    tx: number,
    T: number,
  ): number {
    const f = (tau: number) => Math.pow(alpha + tau, -(r + x)) * Math.pow(beta + tau, -(s + 1));
    const steps = 20_000;
    const h = (T - tx) / steps;
    let integral = f(tx) + f(T);
    for (let i = 1; i < steps; i++) integral += (i % 2 ? 4 : 2) * f(tx + i * h);
    integral *= h / 3;
    const head = gammaln(r + x) - gammaln(r) + r * Math.log(alpha) + s * Math.log(beta);
    return head + Math.log(Math.pow(alpha + T, -(r + x)) * Math.pow(beta + T, -s) + s * integral);
  }

  it("GIVEN α < β, α > β, α = β and a z near 1 THEN the closed form matches numerical integration", () => {
    for (const [params, x, tx, T] of [
      [[0.55, 10.6, 0.61, 11.7], 2, 30.43, 38.86],
      [[0.55, 11.7, 0.61, 10.6], 5, 12, 52],
      [[0.8, 4, 1.2, 4], 0, 0, 20],
      [[0.4, 0.05, 0.9, 200], 12, 3, 60],
      [[0.4, 300, 0.9, 0.2], 12, 3, 60],
    ] as [[number, number, number, number], number, number, number][]) {
      const closed = PARETO_NBD.logLikelihood(tupleSetOf([{ x, tx, T }]), params.map(Math.log)).value;
      expect(closed).toBeCloseTo(byQuadrature(params, x, tx, T), 7);
    }
  });
});
