/**
 * Customers drawn from the models themselves (seeded), for the parameter-recovery
 * tests and the benchmark's generated shop.
 */
import type { ModelName, Rfm } from "./model";

/** sfc32 (Chris Doty-Humphrey's small fast counter), a seeded uniform on (0, 1). */
export function seededRandom(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  return () => {
    let u = next();
    while (u === 0) u = next();
    return u;
  };
}

function standardNormal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
}

/** Gamma(shape, rate) by Marsaglia & Tsang (2000); shape < 1 by the U^(1/shape) boost. */
export function gammaSample(random: () => number, shape: number, rate: number): number {
  if (shape < 1) return gammaSample(random, shape + 1, rate) * Math.pow(random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

export function betaSample(random: () => number, a: number, b: number): number {
  const x = gammaSample(random, a, 1);
  return x / (x + gammaSample(random, b, 1));
}

const exponential = (random: () => number, rate: number) => -Math.log(random()) / rate;

/**
 * One customer observed for T after the first purchase. params in the order of
 * the model's paramNames: BG/MBG (r, α, a, b), Pareto (r, α, s, β).
 */
export function simulateCustomer(
  random: () => number,
  model: ModelName,
  params: readonly number[],
  T: number,
): Rfm & { purchases: number[] } {
  const [r, alpha, third, fourth] = params as [number, number, number, number];
  const lambda = gammaSample(random, r, alpha);
  const purchases: number[] = [];
  if (model === "pareto") {
    const end = Math.min(T, exponential(random, gammaSample(random, third, fourth)));
    for (let t = exponential(random, lambda); t <= end; t += exponential(random, lambda)) purchases.push(t);
  } else {
    const p = betaSample(random, third, fourth);
    // MBG/NBD: the first purchase is also a chance to drop out.
    let alive = model === "bgnbd" || random() >= p;
    let t = 0;
    while (alive) {
      t += exponential(random, lambda);
      if (t > T) break;
      purchases.push(t);
      alive = random() >= p;
    }
  }
  return { x: purchases.length, tx: purchases.at(-1) ?? 0, T, purchases };
}

/** Transaction values of a customer with x repeat transactions: Gamma(p, ν), ν ~ Gamma(q, γ). */
export function simulateMeanValue(
  random: () => number,
  { p, q, gamma }: { p: number; q: number; gamma: number },
  x: number,
): number {
  const nu = gammaSample(random, q, gamma);
  let sum = 0;
  for (let i = 0; i < x; i++) sum += gammaSample(random, p, nu);
  return sum / x;
}
