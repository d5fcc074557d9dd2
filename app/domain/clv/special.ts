import betaln from "@stdlib/math-base-special-betaln";
import digamma from "@stdlib/math-base-special-digamma";
import gammaln from "@stdlib/math-base-special-gammaln";

export { betaln, digamma, gammaln };

/** log(e^a + e^b) without overflow. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** log(e^a − e^b) for a ≥ b; −∞ when they are equal. */
export function logSubExp(a: number, b: number): number {
  if (b === -Infinity) return a;
  if (b > a) return NaN;
  if (b === a) return -Infinity;
  return a + Math.log(-Math.expm1(b - a));
}

const MAX_TERMS = 1_000_000;

/**
 * Gauss's 2F1(a, b; c; z) for 0 ≤ z < 1 by its power series. Every use here has
 * a, b, c > 0, so the terms are positive and the sum cannot cancel; the series
 * only gets slow (not inaccurate) as z → 1. NaN when it does not converge.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (!(z >= 0 && z < 1) || !(c > 0)) return NaN;
  let term = 1;
  let sum = 1;
  for (let n = 0; n < MAX_TERMS; n++) {
    term *= (((a + n) / (c + n)) * (b + n) * z) / (n + 1);
    sum += term;
    if (Math.abs(term) <= 1e-16 * Math.abs(sum)) return sum;
    if (!Number.isFinite(sum)) return NaN;
  }
  return NaN;
}

/**
 * log 2F1(a, b; a + 1; z), the form in the Pareto/NBD likelihood. Euler's
 * transformation 2F1(a, b; a+1; z) = (1 − z)^(1−b) 2F1(1, a+1−b; a+1; z) lets the
 * series run on the smaller of b and a+1−b, so its terms stay bounded when
 * one of them is large (a customer with many orders).
 */
export function logHyp2f1Shifted(a: number, b: number, z: number): number {
  if (z === 0) return 0;
  const other = a + 1 - b;
  if (b <= other) return Math.log(hyp2f1(a, b, a + 1, z));
  return (1 - b) * Math.log1p(-z) + Math.log(hyp2f1(1, other, a + 1, z));
}
