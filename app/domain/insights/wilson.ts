/** z for a two-sided 95 % interval. */
export const Z_95 = 1.959963984540054;

/**
 * Wilson score interval for a proportion (successes of n): unlike the normal approximation it stays inside [0, 1]
 * and is honest for small n and rates near 0 or 1, which is where repeat rates live.
 */
export function wilsonInterval(successes: number, n: number, z = Z_95): { low: number; high: number } {
  if (n <= 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const denominator = 1 + z2 / n;
  return { low: Math.max(0, (centre - spread) / denominator), high: Math.min(1, (centre + spread) / denominator) };
}
