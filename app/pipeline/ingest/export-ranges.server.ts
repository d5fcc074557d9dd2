import { processedAtSearch } from "../../shopify/operations/orders";

/**
 * Splitting a first backfill into processed_at ranges of about equal size, one bulk operation each (API 2026-01+
 * runs up to five bulk queries per shop at once). The sizes come from ordersCount(limit: null) by period: years,
 * then the months of the years a cut falls in, then the days of those months — a handful of requests.
 */

export interface ExportRange {
  /** processedAt >= fromAt; null: no lower bound (the first range). */
  fromAt: Date | null;
  /** processedAt < toAt; null: no upper bound (the last range, which also takes orders placed during the export). */
  toAt: Date | null;
  /** Orders counted in the range. */
  orders: number;
}

/** Shopify's first year: orders processed earlier (imported history) fall in the first range's open lower bound. */
const FIRST_YEAR = 2006;

type Unit = "year" | "month" | "day";

interface Period {
  from: Date | null;
  to: Date | null;
  /** The calendar period it covers (UTC), whatever its open bounds. */
  start: Date;
  unit: Unit;
  count: number;
}

function years(now: Date): Omit<Period, "count">[] {
  const last = now.getUTCFullYear();
  const out: Omit<Period, "count">[] = [];
  for (let y = FIRST_YEAR; y <= last; y++)
    out.push({
      start: new Date(Date.UTC(y, 0, 1)),
      from: y === FIRST_YEAR ? null : new Date(Date.UTC(y, 0, 1)),
      to: y === last ? null : new Date(Date.UTC(y + 1, 0, 1)),
      unit: "year",
    });
  return out;
}

/** A year's months or a month's days; the first and last keep the parent's (possibly open) bounds. */
function subdivide(p: Period): Omit<Period, "count">[] {
  const y = p.start.getUTCFullYear();
  const m = p.start.getUTCMonth();
  const starts: Date[] = [];
  if (p.unit === "year") for (let i = 0; i < 12; i++) starts.push(new Date(Date.UTC(y, i, 1)));
  else for (let d = 1; new Date(Date.UTC(y, m, d)).getUTCMonth() === m; d++) starts.push(new Date(Date.UTC(y, m, d)));
  const unit: Unit = p.unit === "year" ? "month" : "day";
  return starts.map((start, i) => ({
    start,
    unit,
    from: i === 0 ? p.from : start,
    to: i === starts.length - 1 ? p.to : (starts[i + 1] ?? null),
  }));
}

/** The periods a cut (k/parts of all orders) falls strictly inside of, which a finer unit could place better. */
function crossed(periods: Period[], parts: number): Set<number> {
  const total = periods.reduce((s, p) => s + p.count, 0);
  const out = new Set<number>();
  let before = 0;
  periods.forEach((p, i) => {
    for (let k = 1; k < parts; k++) {
      const target = (k * total) / parts;
      if (before < target && target < before + p.count && p.unit !== "day") out.add(i);
    }
    before += p.count;
  });
  return out;
}

/** Cuts at the period ends nearest to each k/parts of the orders; ranges that would be empty are left out. */
function rangesFromPeriods(periods: readonly Period[], parts: number): ExportRange[] {
  const total = periods.reduce((s, p) => s + p.count, 0);
  const cumulative: number[] = [];
  let sum = 0;
  for (const p of periods) cumulative.push((sum += p.count));
  const cuts: number[] = [];
  for (let k = 1; k < parts; k++) {
    const target = (k * total) / parts;
    let best = -1;
    for (let i = 0; i < periods.length - 1; i++)
      if (best < 0 || Math.abs((cumulative[i] ?? 0) - target) < Math.abs((cumulative[best] ?? 0) - target)) best = i;
    const previous = cuts.at(-1);
    const at = cumulative[best] ?? 0;
    if (best >= 0 && at > 0 && at < total && (previous === undefined || at > (cumulative[previous] ?? 0)))
      cuts.push(best);
  }
  const ranges: ExportRange[] = [];
  let from: Date | null = null;
  let counted = 0;
  for (const cut of cuts) {
    const to = periods[cut]?.to ?? null;
    ranges.push({ fromAt: from, toAt: to, orders: (cumulative[cut] ?? 0) - counted });
    counted = cumulative[cut] ?? 0;
    from = to;
  }
  ranges.push({ fromAt: from, toAt: null, orders: total - counted });
  return ranges;
}

/**
 * At most `parts` ranges covering every processedAt, from exact counts (`count` answers one number per search, as
 * ordersCount(limit: null) does). Fewer when the orders sit in fewer days than that.
 */
export async function planExportRanges(
  count: (searches: string[]) => Promise<number[]>,
  parts: number,
  now: Date,
): Promise<ExportRange[]> {
  const measure = async (shapes: Omit<Period, "count">[]): Promise<Period[]> => {
    const counts = await count(shapes.map((p) => processedAtSearch(p.from, p.to)));
    return shapes.map((p, i) => ({ ...p, count: counts[i] ?? 0 }));
  };
  let periods = await measure(years(now));
  for (let level = 0; level < 2; level++) {
    const refine = crossed(periods, parts);
    if (refine.size === 0) break;
    const finer = await measure(periods.filter((_, i) => refine.has(i)).flatMap(subdivide));
    let next = 0;
    const replaced: Period[] = [];
    periods.forEach((p, i) => {
      if (!refine.has(i)) return void replaced.push(p);
      const parts = subdivide(p).length;
      replaced.push(...finer.slice(next, next + parts));
      next += parts;
    });
    periods = replaced;
  }
  return rangesFromPeriods(periods, parts);
}
