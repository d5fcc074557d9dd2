/**
 * Exact decimal money as bigint ten-thousandths (4 decimal places), so sums
 * and currency conversions never drift the way floats do.
 */
export type Money = bigint;

const SCALE = 10_000n;

export function parseMoney(value: string | number): Money {
  const text = typeof value === "number" ? value.toFixed(4) : value.trim();
  const m = /^(-)?(\d+)(?:\.(\d{1,4})\d*)?$/.exec(text);
  if (!m) throw new Error(`Not a money amount: ${JSON.stringify(value)}`);
  const units = BigInt(m[2] ?? "0") * SCALE + BigInt((m[3] ?? "").padEnd(4, "0"));
  return m[1] ? -units : units;
}

export function formatMoney(value: Money): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  return `${negative ? "-" : ""}${abs / SCALE}.${String(abs % SCALE).padStart(4, "0")}`;
}

/** value × numerator / denominator, rounded half away from zero to the cent. */
export function convertToCents(value: Money, numerator: Money, denominator: Money): Money {
  if (denominator === 0n) return value;
  const cent = 100n;
  const exact = value * numerator;
  const unit = denominator * cent;
  const sign = exact < 0n ? -1n : 1n;
  const abs = exact < 0n ? -exact : exact;
  return sign * ((abs + unit / 2n) / unit) * cent;
}
