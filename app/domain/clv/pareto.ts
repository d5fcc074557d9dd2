/**
 * Pareto/NBD (Schmittlein, Morrison & Colombo 1987), likelihood as in Fader &
 * Hardie's note "A Note on Deriving the Pareto/NBD Model and Related
 * Expressions" (2005) and lifetimes' ParetoNBDFitter: purchases Poisson(λ),
 * λ ~ Gamma(r, α), lifetime Exponential(μ), μ ~ Gamma(s, β).
 *   L = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^−(r+x) (β+T)^−s + s/(r+s+x) · A₀ ]
 *   A₀ = F(t_x)/(m+t_x)^(r+s+x) − F(T)/(m+T)^(r+s+x),
 *   F(τ) = 2F1(r+s+x, t; r+s+x+1; |α−β|/(m+τ)), m = max(α, β), t = r+x if α < β else s+1,
 * all in logarithms: ln A₀ by a log-difference, 2F1 with z ∈ [0, 1) (positive terms).
 * The gradient is by central differences.
 */
import type { Predictor, Rfm, TransactionModel } from "./model";
import { numericGradient } from "./optimize";
import { gammaln, logAddExp, logHyp2f1Shifted, logSubExp } from "./special";
import { tupleIndex, type TupleSet } from "./summary";

interface Params {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

/** ln F(τ) − (r+s+x) ln(m+τ), one end of A₀. */
function logA0End(p: Params, x: number, tau: number): number {
  const { r, alpha, s, beta } = p;
  const rho = r + s + x;
  const m = Math.max(alpha, beta);
  const t = alpha < beta ? r + x : s + 1;
  return logHyp2f1Shifted(rho, t, Math.abs(alpha - beta) / (m + tau)) - rho * Math.log(m + tau);
}

/** ln A₀ = ln[(r+s+x) ∫_lo^hi (α+τ)^−(r+x) (β+τ)^−(s+1) dτ], via the 2F1 closed form. */
function logA0(p: Params, x: number, lo: number, hi: number): number {
  return logSubExp(logA0End(p, x, lo), logA0End(p, x, hi));
}

/** Each tuple's two ends of A₀ as an index into the set's distinct (x, τ) pairs. */
interface EndIndex {
  x: Float64Array;
  tau: Float64Array;
  tx: Uint32Array;
  T: Uint32Array;
}
const endIndexes = new WeakMap<TupleSet, EndIndex>();

function endIndex(set: TupleSet): EndIndex {
  const cached = endIndexes.get(set);
  if (cached) return cached;
  const byX = new Map<number, Map<number, number>>();
  const xs: number[] = [];
  const taus: number[] = [];
  const at = (x: number, tau: number) => {
    let byTau = byX.get(x);
    if (!byTau) byX.set(x, (byTau = new Map()));
    let j = byTau.get(tau);
    if (j === undefined) {
      byTau.set(tau, (j = xs.length));
      xs.push(x);
      taus.push(tau);
    }
    return j;
  };
  const tx = Uint32Array.from(set.x, (x, i) => at(x, set.tx[i] as number));
  const T = Uint32Array.from(set.x, (x, i) => at(x, set.T[i] as number));
  const built = { x: Float64Array.from(xs), tau: Float64Array.from(taus), tx, T };
  endIndexes.set(set, built);
  return built;
}

function paretoLogLikelihood(set: TupleSet, logParams: readonly number[]): number {
  const [r, alpha, s, beta] = logParams.map(Math.exp) as [number, number, number, number];
  const p = { r, alpha, s, beta };
  const head = r * Math.log(alpha) + s * Math.log(beta) - gammaln(r);
  const lnS = Math.log(s);
  const index = tupleIndex(set);
  const ends = endIndex(set);
  // Customers share (x, t_x) and (x, T) far more often than whole tuples: each end once.
  const endValues = new Float64Array(ends.x.length);
  ends.x.forEach((x, j) => (endValues[j] = logA0End(p, x, ends.tau[j] as number)));
  const lnAlphaAt = index.values.map((v) => Math.log(alpha + v));
  const lnBetaAt = index.values.map((v) => Math.log(beta + v));
  // Per x: ln Γ(r+x) + head, and ln s − ln(r+s+x).
  const byX = index.xWeight.map((_, x) => gammaln(r + x) + head);
  const deathX = index.xWeight.map((_, x) => lnS - Math.log(r + s + x));
  let total = 0;
  const n = set.x.length;
  for (let i = 0; i < n; i++) {
    const x = set.x[i] as number;
    const iT = index.T[i] as number;
    const alive = -(r + x) * (lnAlphaAt[iT] as number) - s * (lnBetaAt[iT] as number);
    const died =
      (deathX[x] as number) +
      logSubExp(endValues[ends.tx[i] as number] as number, endValues[ends.T[i] as number] as number);
    total += (set.count[i] as number) * ((byX[x] as number) + logAddExp(alive, died));
  }
  return total;
}

function predictor(params: readonly number[]): Predictor {
  const [r, alpha, s, beta] = params as [number, number, number, number];
  const p = { r, alpha, s, beta };
  const pAlive = (c: Rfm) =>
    1 /
    (1 +
      Math.exp(
        Math.log(s) -
          Math.log(r + s + c.x) +
          (r + c.x) * Math.log(alpha + c.T) +
          s * Math.log(beta + c.T) +
          logA0(p, c.x, c.tx, c.T),
      ));
  // (1 − q^(s−1)) / (s − 1), continuous through s = 1.
  const lifetimeFactor = (q: number) => (s === 1 ? -Math.log(q) : -Math.expm1((s - 1) * Math.log(q)) / (s - 1));
  return {
    pAlive,
    expectedNew: (t) => ((r * beta) / alpha) * lifetimeFactor(beta / (beta + t)),
    expected: (t, c) =>
      pAlive(c) * (((r + c.x) * (beta + c.T)) / (alpha + c.T)) * lifetimeFactor((beta + c.T) / (beta + c.T + t)),
    // Alive at T, then neither a purchase before dying nor before T + t:
    // ((α+T)/(α+T+t))^(r+x) ((β+T)/(β+T+t))^s + s (α+T)^(r+x) (β+T)^s ∫_T^(T+t) (α+τ)^−(r+x) (β+τ)^−(s+1) dτ.
    pNone: (t, c) => {
      const alive = pAlive(c);
      const lnHead = (r + c.x) * Math.log(alpha + c.T) + s * Math.log(beta + c.T);
      const survive = -(r + c.x) * Math.log(alpha + c.T + t) - s * Math.log(beta + c.T + t);
      const dies = Math.log(s) - Math.log(r + s + c.x) + logA0(p, c.x, c.T, c.T + t);
      return 1 - alive + alive * Math.exp(lnHead + logAddExp(survive, dies));
    },
  };
}

export const PARETO_NBD: TransactionModel = {
  name: "pareto",
  paramNames: ["r", "alpha", "s", "beta"],
  logLikelihood: (set, logParams) => {
    const { value, gradient } = numericGradient((theta) => paretoLogLikelihood(set, theta))(logParams);
    return { value, gradient };
  },
  predictor,
};
