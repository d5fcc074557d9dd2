/**
 * Gamma-Gamma spend model (Fader & Hardie 2013, "The Gamma-Gamma Model of
 * Monetary Value"): a customer's transaction values are Gamma(p, ν),
 * ν ~ Gamma(q, γ), so the mean z̄ of x repeat transactions has density
 *   Γ(px+q) / (Γ(px) Γ(q)) · γ^q x^(px) z̄^(px−1) / (γ + x z̄)^(px+q).
 * Fitted on repeat customers with a positive mean value; the model assumes
 * value and frequency are independent, so their correlation is reported.
 */
import { GENERIC_STARTS, minimiseFromStarts } from "./optimize";
import { digamma, gammaln } from "./special";

export interface SpendObservation {
  /** Repeat transactions. */
  x: number;
  /** Their mean value. */
  meanValue: number;
  /** Customers sharing this (x, mean value) (1 unless grouped, e.g. by the database). */
  customers?: number;
}

export interface GammaGammaFit {
  p: number;
  q: number;
  gamma: number;
  ll: number;
  converged: boolean;
  startsAgreed: boolean;
  /** Repeat customers fitted. */
  customers: number;
  /** Repeat customers left out because their mean repeat value is zero or negative (returns, free orders). */
  nonPositive: number;
  /** Pearson correlation of x and mean value among the fitted customers. */
  frequencyValueCorrelation: number;
  /** |correlation| at or above this breaks the model's independence assumption visibly. */
  strongCorrelation: boolean;
}

export const STRONG_CORRELATION = 0.3;

const weight = (o: SpendObservation) => o.customers ?? 1;

function correlation(xs: readonly SpendObservation[], n: number): number {
  const mx = xs.reduce((s, o) => s + weight(o) * o.x, 0) / n;
  const mz = xs.reduce((s, o) => s + weight(o) * o.meanValue, 0) / n;
  let sxz = 0;
  let sxx = 0;
  let szz = 0;
  for (const o of xs) {
    const w = weight(o);
    sxz += w * (o.x - mx) * (o.meanValue - mz);
    sxx += w * (o.x - mx) ** 2;
    szz += w * (o.meanValue - mz) ** 2;
  }
  return sxx > 0 && szz > 0 ? sxz / Math.sqrt(sxx * szz) : 0;
}

export function fitGammaGamma(observations: Iterable<SpendObservation>): GammaGammaFit | null {
  const fitted: SpendObservation[] = [];
  let n = 0;
  let nonPositive = 0;
  for (const o of observations) {
    if (o.x <= 0) continue;
    if (o.meanValue > 0) {
      fitted.push(o);
      n += weight(o);
    } else nonPositive += weight(o);
  }
  if (n < 2) return null;
  // Per distinct x: the gamma terms; per distinct mean value only logarithms.
  const byX = new Map<number, { lnM: number[]; m: number[]; w: number[] }>();
  for (const o of fitted) {
    let g = byX.get(o.x);
    if (!g) byX.set(o.x, (g = { lnM: [], m: [], w: [] }));
    g.lnM.push(weight(o) * Math.log(o.meanValue));
    g.m.push(o.meanValue);
    g.w.push(weight(o));
  }
  const groups = [...byX].map(([x, g]) => ({
    x,
    lnX: Math.log(x),
    m: Float64Array.from(g.m),
    w: Float64Array.from(g.w),
    k: g.w.reduce((s, v) => s + v, 0),
    sumLnM: g.lnM.reduce((s, v) => s + v, 0),
  }));
  const objective = (theta: readonly number[]) => {
    const [p, q, gamma] = theta.map(Math.exp) as [number, number, number];
    const lnGamma = Math.log(gamma);
    const psiQ = digamma(q);
    const lnGammaQ = gammaln(q);
    let ll = 0;
    let dp = 0;
    let dq = 0;
    let dg = 0;
    for (const g of groups) {
      const px = p * g.x;
      const k = g.k;
      const psiPXQ = digamma(px + q);
      let sumLog = 0;
      let sumInv = 0;
      for (let i = 0; i < g.m.length; i++) {
        const d = gamma + g.x * (g.m[i] as number);
        const w = g.w[i] as number;
        sumLog += w * Math.log(d);
        sumInv += w / d;
      }
      ll +=
        k * (gammaln(px + q) - gammaln(px) - lnGammaQ + q * lnGamma + px * g.lnX) +
        (px - 1) * g.sumLnM -
        (px + q) * sumLog;
      dp += g.x * (k * (psiPXQ - digamma(px) + g.lnX) + g.sumLnM - sumLog);
      dq += k * (psiPXQ - psiQ + lnGamma) - sumLog;
      dg += (k * q) / gamma - (px + q) * sumInv;
    }
    return { value: -ll / n, gradient: [(-dp * p) / n, (-dq * q) / n, (-dg * gamma) / n] };
  };
  const starts = GENERIC_STARTS.map((s) => s.slice(0, 3));
  const { best, agreed } = minimiseFromStarts(objective, starts);
  const [p, q, gamma] = best.theta.map(Math.exp) as [number, number, number];
  const r = correlation(fitted, n);
  return {
    p,
    q,
    gamma,
    ll: -best.value * n,
    converged: best.converged,
    startsAgreed: agreed,
    customers: n,
    nonPositive,
    frequencyValueCorrelation: r,
    strongCorrelation: Math.abs(r) >= STRONG_CORRELATION,
  };
}

/**
 * E[value of a transaction | x, z̄]: a weighted mean of the population mean
 * pγ/(q−1) and the customer's own z̄. Customers without repeat transactions,
 * or whose repeat mean is not positive, get the population mean.
 */
export function expectedAverageValue(fit: Pick<GammaGammaFit, "p" | "q" | "gamma">, o: SpendObservation): number {
  const { p, q, gamma } = fit;
  if (o.x <= 0 || !(o.meanValue > 0)) return (p * gamma) / (q - 1);
  return (p * (gamma + o.x * o.meanValue)) / (p * o.x + q - 1);
}
