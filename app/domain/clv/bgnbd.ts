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
import type { TupleSet } from "./summary";

/** ln(1 + e^u) and its derivative e^u / (1 + e^u). */
function softplus(u: number): { value: number; slope: number } {
  if (u > 0) {
    const e = Math.exp(-u);
    return { value: u + Math.log1p(e), slope: 1 / (1 + e) };
  }
  const e = Math.exp(u);
  return { value: Math.log1p(e), slope: e / (1 + e) };
}

function family(name: "bgnbd" | "mbgnbd", k: 0 | 1): TransactionModel {
  const hasTerm = (x: number) => k === 1 || x > 0;

  function logLikelihood(set: TupleSet, logParams: readonly number[]) {
    const [r, alpha, a, b] = logParams.map(Math.exp) as [number, number, number, number];
    const lnAlpha = Math.log(alpha);
    const perX = new Map<number, { value: number; dr: number; da: number; db: number }>();
    const psiR = digamma(r);
    const psiAB = digamma(a + b);
    const psiB = digamma(b);
    const lnGammaR = gammaln(r);
    const base = gammaln(a + b) - gammaln(b);
    let value = 0;
    let gr = 0;
    let gAlpha = 0;
    let ga = 0;
    let gb = 0;
    const n = set.x.length;
    for (let i = 0; i < n; i++) {
      const x = set.x[i] as number;
      const T = set.T[i] as number;
      const w = set.count[i] as number;
      let px = perX.get(x);
      if (!px) {
        const psiABX = digamma(a + b + x + k);
        px = {
          value: gammaln(r + x) - lnGammaR + r * lnAlpha + base + gammaln(b + x + k) - gammaln(a + b + x + k),
          dr: digamma(r + x) - psiR + lnAlpha,
          da: psiAB - psiABX,
          db: digamma(b + x + k) - psiABX - psiB + psiAB,
        };
        perX.set(x, px);
      }
      const lnAT = Math.log(alpha + T);
      let ll = px.value - (r + x) * lnAT;
      let dr = px.dr - lnAT;
      let dAlpha = r / alpha - (r + x) / (alpha + T);
      let da = px.da;
      let db = px.db;
      if (hasTerm(x)) {
        const tx = set.tx[i] as number;
        const lnATx = Math.log(alpha + tx);
        const s = softplus(Math.log(a) - Math.log(b + x + k - 1) + (r + x) * (lnAT - lnATx));
        ll += s.value;
        dr += s.slope * (lnAT - lnATx);
        dAlpha += s.slope * (r + x) * (1 / (alpha + T) - 1 / (alpha + tx));
        da += s.slope / a;
        db -= s.slope / (b + x + k - 1);
      }
      value += w * ll;
      gr += w * dr;
      gAlpha += w * dAlpha;
      ga += w * da;
      gb += w * db;
    }
    return { value, gradient: [gr * r, gAlpha * alpha, ga * a, gb * b] };
  }

  function predictor(params: readonly number[]): Predictor {
    const [r, alpha, a, b] = params as [number, number, number, number];
    // P(dead | x, t_x, T) / P(alive | …): the ratio inside the likelihood's last term.
    const deadOdds = (c: Rfm) =>
      hasTerm(c.x) ? (a / (b + c.x + k - 1)) * Math.pow((alpha + c.T) / (alpha + c.tx), r + c.x) : 0;
    const pAlive = (c: Rfm) => 1 / (1 + deadOdds(c));
    return {
      pAlive,
      expectedNew: (t) =>
        k === 0
          ? ((a + b - 1) / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b, a + b - 1, t / (alpha + t)))
          : (b / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b + 1, a + b, t / (alpha + t))),
      expected: (t, c) => {
        const z = t / (alpha + c.T + t);
        const hyp = hyp2f1(r + c.x, b + c.x + k, a + b + c.x - 1 + k, z);
        const tail = 1 - Math.pow((alpha + c.T) / (alpha + c.T + t), r + c.x) * hyp;
        return (((a + b + c.x - 1 + k) / (a - 1)) * tail) / (1 + deadOdds(c));
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
