/**
 * BG/NBD (Fader, Hardie & Lee 2005) and MBG/NBD (Batislam, Denizel &
 * Filiztekin 2007). Purchases are Poisson(λ), λ ~ Gamma(r, α); a customer
 * drops out with probability p ~ Beta(a, b) after each purchase (BG/NBD)
 * or also at the first one (MBG/NBD, so one-time buyers are not certainly alive).
 * Both likelihoods are
 *   ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x+k) − ln B(a, b) − (r+x) ln(α+T)
 *   + ln(1 + [a / (b+x+k−1)] ((α+T)/(α+t_x))^(r+x))     (BG/NBD: k = 0, last term only for x > 0;
 *                                                        MBG/NBD: k = 1, always)
 * with the gamma/beta/digamma terms computed once per distinct x.
 */
import type { Predictor, Rfm, TransactionModel } from "./model";
import { digamma, gammaln, hyp2f1 } from "./special";
import { tupleIndex, type TupleSet } from "./summary";

function family(name: "bgnbd" | "mbgnbd", k: 0 | 1): TransactionModel {
  const hasTerm = (x: number) => k === 1 || x > 0;

  function logLikelihood(set: TupleSet, logParams: readonly number[]) {
    const [r, alpha, a, b] = logParams.map(Math.exp) as [number, number, number, number];
    const lnAlpha = Math.log(alpha);
    const psiR = digamma(r);
    const psiAB = digamma(a + b);
    const psiB = digamma(b);
    const lnGammaR = gammaln(r);
    const base = gammaln(a + b) - gammaln(b);
    const index = tupleIndex(set);
    let value = 0;
    let gr = 0;
    let gAlpha = 0;
    let ga = 0;
    let gb = 0;
    // The gamma/beta terms depend on x alone: once per distinct x, times its customers.
    const lnOdds = new Float64Array(index.xWeight.length);
    const invB = new Float64Array(index.xWeight.length);
    index.xWeight.forEach((W, x) => {
      if (W === 0) return;
      const psiABX = digamma(a + b + x + k);
      value += W * (gammaln(r + x) - lnGammaR + r * lnAlpha + base + gammaln(b + x + k) - gammaln(a + b + x + k));
      gr += W * (digamma(r + x) - psiR + lnAlpha);
      gAlpha += (W * r) / alpha;
      ga += W * (psiAB - psiABX);
      gb += W * (digamma(b + x + k) - psiABX - psiB + psiAB);
      lnOdds[x] = Math.log(a) - Math.log(b + x + k - 1);
      invB[x] = 1 / (b + x + k - 1);
    });
    // ln(α + τ) and 1/(α + τ) once per distinct time instead of once per tuple.
    const lnAt = index.values.map((v) => Math.log(alpha + v));
    const invAt = index.values.map((v) => 1 / (alpha + v));
    const n = set.x.length;
    for (let i = 0; i < n; i++) {
      const x = set.x[i] as number;
      const w = set.count[i] as number;
      const iT = index.T[i] as number;
      const lnAT = lnAt[iT] as number;
      const invAT = invAt[iT] as number;
      value -= w * (r + x) * lnAT;
      gr -= w * lnAT;
      gAlpha -= w * (r + x) * invAT;
      if (hasTerm(x)) {
        const iTx = index.tx[i] as number;
        const gap = lnAT - (lnAt[iTx] as number);
        // ln(1 + e^u) and its slope e^u / (1 + e^u), without overflow.
        const u = (lnOdds[x] as number) + (r + x) * gap;
        const e = Math.exp(-Math.abs(u));
        const softplus = Math.max(u, 0) + Math.log1p(e);
        const slope = u > 0 ? 1 / (1 + e) : e / (1 + e);
        const ws = w * slope;
        value += w * softplus;
        gr += ws * gap;
        gAlpha += ws * (r + x) * (invAT - (invAt[iTx] as number));
        ga += ws / a;
        gb -= ws * (invB[x] as number);
      }
    }
    return { value, gradient: [gr * r, gAlpha * alpha, ga * a, gb * b] };
  }

  function predictor(params: readonly number[]): Predictor {
    const [r, alpha, a, b] = params as [number, number, number, number];
    // P(dead | x, t_x, T) / P(alive | …): the ratio inside the likelihood's last term. Every answer about a
    // customer needs it; it is kept for the customer last asked about.
    let oddsX = NaN;
    let oddsTx = NaN;
    let oddsT = NaN;
    let odds = 0;
    const deadOdds = (c: Rfm) => {
      if (c.x !== oddsX || c.tx !== oddsTx || c.T !== oddsT) {
        odds = hasTerm(c.x) ? (a / (b + c.x + k - 1)) * Math.pow((alpha + c.T) / (alpha + c.tx), r + c.x) : 0;
        oddsX = c.x;
        oddsTx = c.tx;
        oddsT = c.T;
      }
      return odds;
    };
    const pAlive = (c: Rfm) => 1 / (1 + deadOdds(c));
    // expected()'s 2F1 part depends on (t, x, T), not on t_x: kept per t for the (x, T) last asked about, so
    // customers or tuples in (x, T) order share it.
    let tailX = NaN;
    let tailT = NaN;
    const tails = new Map<number, number>();
    return {
      pAlive,
      expectedNew: (t) =>
        k === 0
          ? ((a + b - 1) / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b, a + b - 1, t / (alpha + t)))
          : (b / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b + 1, a + b, t / (alpha + t))),
      expected: (t, c) => {
        if (c.x !== tailX || c.T !== tailT) {
          tails.clear();
          tailX = c.x;
          tailT = c.T;
        }
        let scaled = tails.get(t);
        if (scaled === undefined) {
          const z = t / (alpha + c.T + t);
          const hyp = hyp2f1(r + c.x, b + c.x + k, a + b + c.x - 1 + k, z);
          const tail = 1 - Math.pow((alpha + c.T) / (alpha + c.T + t), r + c.x) * hyp;
          tails.set(t, (scaled = ((a + b + c.x - 1 + k) / (a - 1)) * tail));
        }
        return scaled / (1 + deadOdds(c));
      },
      // Dropping out needs a purchase, so a customer alive at T who buys nothing stays alive.
      pNone: (t, c) => {
        const alive = pAlive(c);
        return 1 - alive + alive * Math.pow((alpha + c.T) / (alpha + c.T + t), r + c.x);
      },
    };
  }

  return { name, paramNames: ["r", "alpha", "a", "b"], logLikelihood, predictor };
}

export const BG_NBD = family("bgnbd", 0);
export const MBG_NBD = family("mbgnbd", 1);
