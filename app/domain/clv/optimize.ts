/**
 * BFGS minimisation (Nocedal & Wright, algorithm 6.1) with a backtracking
 * Armijo line search; the inverse-Hessian update is skipped when the
 * curvature condition fails, so it stays positive definite.
 */

export interface Objective {
  (theta: readonly number[]): { value: number; gradient: number[] };
}

export interface MinimumFound {
  theta: number[];
  value: number;
  gradientNorm: number;
  iterations: number;
  converged: boolean;
}

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + v * (b[i] as number), 0);
const maxAbs = (a: readonly number[]) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

export function bfgs(
  f: Objective,
  start: readonly number[],
  { gradientTolerance = 1e-7, maxIterations = 1000 }: { gradientTolerance?: number; maxIterations?: number } = {},
): MinimumFound {
  const n = start.length;
  let theta = [...start];
  let { value, gradient } = f(theta);
  if (!Number.isFinite(value)) return { theta, value, gradientNorm: Infinity, iterations: 0, converged: false };
  let H: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  let iterations = 0;
  let stalled = false;
  for (; iterations < maxIterations; iterations++) {
    if (maxAbs(gradient) <= gradientTolerance) break;
    let direction = H.map((row) => -dot(row, gradient));
    let slope = dot(direction, gradient);
    if (!(slope < 0)) {
      // Not a descent direction (rounding): restart from steepest descent.
      H = H.map((row, i) => row.map((_, j) => (i === j ? 1 : 0)));
      direction = gradient.map((g) => -g);
      slope = dot(direction, gradient);
    }
    // Keep the first steps inside a sane range of the log-parameters.
    let step = Math.min(1, 2 / Math.max(maxAbs(direction), 1e-300));
    let next: { value: number; gradient: number[] } | null = null;
    let candidate: number[] = theta;
    // 20 halvings (a step of 1e-6): shorter steps only chase rounding noise near the optimum.
    for (let k = 0; k < 20; k++) {
      candidate = theta.map((t, i) => t + step * (direction[i] as number));
      const trial = f(candidate);
      if (Number.isFinite(trial.value) && trial.value <= value + 1e-4 * step * slope) {
        next = trial;
        break;
      }
      step /= 2;
    }
    if (!next) {
      stalled = true;
      break;
    }
    const s = candidate.map((c, i) => c - (theta[i] as number));
    const y = next.gradient.map((g, i) => g - (gradient[i] as number));
    const sy = dot(s, y);
    theta = candidate;
    const improvement = value - next.value;
    value = next.value;
    gradient = next.gradient;
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      const rho = 1 / sy;
      // Before the first update, scale the identity to the curvature seen (Nocedal & Wright, eq. 6.20).
      if (iterations === 0) H = H.map((row) => row.map((h) => (h * sy) / dot(y, y)));
      const Hy = H.map((row) => dot(row, y));
      const yHy = dot(y, Hy);
      H = H.map((row, i) =>
        row.map(
          (h, j) =>
            h -
            rho * ((Hy[i] as number) * (s[j] as number) + (s[i] as number) * (Hy[j] as number)) +
            (rho * rho * yHy + rho) * (s[i] as number) * (s[j] as number),
        ),
      );
    }
    if (improvement === 0 && maxAbs(s) === 0) {
      stalled = true;
      break;
    }
  }
  const gradientNorm = maxAbs(gradient);
  // No step improves the value any more: at the limit of double precision that is
  // the optimum when the gradient is already near the tolerance.
  const converged = gradientNorm <= gradientTolerance || (stalled && gradientNorm <= 100 * gradientTolerance);
  return { theta, value, gradientNorm, iterations, converged };
}

/** Central differences on the log-parameters, for likelihoods without a closed-form gradient. */
export function numericGradient(value: (theta: readonly number[]) => number): Objective {
  return (theta) => {
    const v = value(theta);
    const gradient = theta.map((_, i) => {
      const h = 1e-5 * Math.max(1, Math.abs(theta[i] as number));
      const up = [...theta];
      const down = [...theta];
      up[i] = (up[i] as number) + h;
      down[i] = (down[i] as number) - h;
      return (value(up) - value(down)) / (2 * h);
    });
    return { value: v, gradient };
  };
}

export interface MultiStartResult {
  best: MinimumFound;
  runs: MinimumFound[];
  /** Every converged start reached the best optimum (log-parameters within 1e-3). */
  agreed: boolean;
  converged: boolean;
}

/** Generic starting points on the log scale (never a published optimum). */
export const GENERIC_STARTS: readonly number[][] = [
  [0, 0, 0, 0],
  [-1, 1, -1, 1],
  [1, 2, 0.5, -0.5],
];

export function minimiseFromStarts(f: Objective, starts: readonly (readonly number[])[]): MultiStartResult {
  const runs = starts.map((s) => bfgs(f, s));
  const converged = runs.filter((r) => r.converged);
  const finite = runs.filter((r) => Number.isFinite(r.value));
  const best = (converged.length ? converged : finite.length ? finite : runs).reduce((a, b) =>
    b.value < a.value ? b : a,
  );
  const agreed =
    converged.length === runs.length &&
    converged.every((r) => r.theta.every((t, i) => Math.abs(t - (best.theta[i] as number)) <= 1e-3));
  return { best, runs, agreed, converged: best.converged };
}
