import type { DbTx } from "../../platform/db.server";
import { epochDay, isoDay } from "../../domain/rfm/dates";
import type { GroupFigures, RunSummary } from "./run-shapes";
import { queryRows } from "../../platform/db/sql.server";

/** Percentiles of customers (by net spend) the Pareto curve is drawn through. */
export const PARETO_PERCENTS = [1, 2, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100] as const;
/** The movement the dashboard shows: from this many days before the run to the run. */
export const MOVEMENT_DAYS = 30;
/** The segment trend: sizes on this many weekly dates before the run. */
export const TREND_WEEKS = 12;

/** The dates the summary stores sizes for: each week before asOf and movementFrom, oldest first. */
export function sizeDates(asOf: string): string[] {
  const day = epochDay(asOf);
  const weeks = Array.from({ length: TREND_WEEKS }, (_, i) => day - 7 * (TREND_WEEKS - i));
  return [...new Set([...weeks, day - MOVEMENT_DAYS])].sort((a, b) => a - b).map(isoDay);
}

export type { GroupFigures, RunSummary } from "./run-shapes";

type Row = {
  k: string | null;
  customers: number;
  revenue: string | null;
  orders: string | number | null;
  median: number | null;
};
const figures = (r: Row): GroupFigures => ({
  customers: Number(r.customers),
  revenue: r.revenue ?? "0",
  orders: Number(r.orders ?? 0),
  medianRecencyDays: r.median === null ? null : Number(r.median),
});

/**
 * Computes the dashboard's figures inside a full run's transaction, right
 * after the scores are written: the dashboard then reads one row instead of
 * aggregating a million customers per page view. Expects the run's rfm_ms
 * spend histogram (value v, customers c, strictly better customers `better`).
 */
/**
 * Regroups a shop's scores into ScoreCell and ScoreStay (migration 20261207100000): after a first run wrote its
 * own partition, whose rows fired no trigger. Elsewhere the triggers keep both exact.
 */
export async function refillScoreCells(tx: DbTx, shop: string): Promise<void> {
  await tx.$executeRawUnsafe(`DELETE FROM "ScoreCell" WHERE shop = $1`, shop);
  await tx.$executeRawUnsafe(`DELETE FROM "ScoreStay" WHERE shop = $1`, shop);
  await tx.$executeRawUnsafe(
    `INSERT INTO "ScoreCell" (shop, segment, r, f, behaviours, "lastOrderDate", customers, revenue, orders)
     SELECT shop, segment, r, f, behaviours, "lastOrderDate", count(*), sum(monetary), sum(frequency)
     FROM "CustomerScore" WHERE shop = $1 GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6`,
    shop,
  );
  await tx.$executeRawUnsafe(
    `INSERT INTO "ScoreStay" (shop, kind, k, since, customers)
     SELECT $1, kind, k, since, count(*) FROM (
       SELECT 'rfm' AS kind, segment AS k, "segmentSince" AS since FROM "CustomerScore" WHERE shop = $1
       UNION ALL
       SELECT 'behaviour', x.b, coalesce(x.since, s."segmentSince")
       FROM "CustomerScore" s, unnest(s.behaviours, s."behaviourSince") AS x(b, since) WHERE s.shop = $1 AND x.b IS NOT NULL) st
     GROUP BY 2, 3, 4 ORDER BY 2, 3, 4`,
    shop,
  );
}

export async function computeRunSummary(tx: DbTx, shop: string, asOf: string, customers: number): Promise<RunSummary> {
  const movementFrom = isoDay(epochDay(asOf) - MOVEMENT_DAYS);
  const dates = sizeDates(asOf);
  // The shop's score cells (segment, r, f, behaviours, last order date; ScoreCell, kept by triggers on the scores):
  // the segment, behaviour and grid figures all add up from them, and the median recency comes from each group's
  // histogram of dates instead of a sort of its customers. The planner knows the cells' size only after ANALYZE.
  await tx.$executeRawUnsafe(
    `CREATE TEMP TABLE rfm_cells ON COMMIT DROP AS
     SELECT segment, r, f, behaviours, $2::date - "lastOrderDate" AS days, customers AS n, revenue, orders
     FROM "ScoreCell" WHERE shop = $1`,
    shop,
    asOf,
  );
  await tx.$executeRawUnsafe(`ANALYZE rfm_cells`);
  // percentile_cont(0.5) of recency per group: the mean of the values at positions floor and ceil of (n − 1)/2.
  const figuresBy = (key: string, from: string) =>
    `WITH h AS (SELECT ${key} AS k, days, sum(n) AS n, sum(revenue) AS revenue, sum(orders) AS orders FROM ${from} GROUP BY 1, 2),
     c AS (SELECT h.*, sum(n) OVER (PARTITION BY k ORDER BY days) AS upto, sum(n) OVER (PARTITION BY k) AS total FROM h)
     SELECT k, sum(n)::int AS customers, sum(revenue)::text AS revenue, sum(orders)::bigint AS orders,
            ((min(days) FILTER (WHERE upto > floor((total - 1) / 2.0)) + min(days) FILTER (WHERE upto > ceil((total - 1) / 2.0))) / 2.0)::float8 AS median
     FROM c GROUP BY k`;
  const [segments, behaviours, grid, pareto, movement, sizeRows, consentRows] = await Promise.all([
    tx.$queryRawUnsafe<Row[]>(
      `(${figuresBy("segment", "rfm_cells")}) UNION ALL (${figuresBy("NULL::text", "rfm_cells")})`,
    ),
    tx.$queryRawUnsafe<Row[]>(figuresBy("b", "rfm_cells, unnest(behaviours) b")),
    tx.$queryRawUnsafe<{ r: number; f: number; segment: string; customers: number; revenue: string }[]>(
      `SELECT r, f, segment, sum(n)::int AS customers, sum(revenue)::text AS revenue FROM rfm_cells GROUP BY r, f, segment
       ORDER BY r, f, segment`,
    ),
    tx.$queryRawUnsafe<Record<string, string | null>[]>(
      `SELECT coalesce(sum(v * c), 0)::text AS total, ${PARETO_PERCENTS.map((p) => `coalesce(sum(v * c) FILTER (WHERE better * 100 < ${p} * $1::bigint), 0)::text AS p${p}`).join(", ")}
       FROM rfm_ms`,
      customers,
    ),
    queryRows(tx, "pipeline/score/run-movement.sql", shop, movementFrom, asOf),
    queryRows(tx, "pipeline/score/segment-sizes.sql", shop, dates),
    queryRows(tx, "pipeline/score/consent-counts.sql", shop),
  ]);
  const cells = new Map<
    string,
    { r: number; f: number; customers: number; revenue: number; segment: string; top: number; segments: Split[] }
  >();
  for (const g of grid) {
    const key = `${g.r}:${g.f}`;
    const cell = cells.get(key) ?? {
      r: g.r,
      f: g.f,
      customers: 0,
      revenue: 0,
      segment: g.segment,
      top: 0,
      segments: [],
    };
    cell.customers += g.customers;
    cell.segments.push({ segment: g.segment, customers: g.customers });
    cell.revenue += Number(g.revenue);
    if (g.customers > cell.top) Object.assign(cell, { top: g.customers, segment: g.segment });
    cells.set(key, cell);
  }
  const total = segments.find((s) => s.k === null);
  const p = pareto[0] ?? {};
  const spend = Number(p.total ?? 0);
  return {
    total: total ? figures(total) : { customers: 0, revenue: "0", orders: 0, medianRecencyDays: null },
    segments: Object.fromEntries(segments.filter((s) => s.k !== null).map((s) => [s.k, figures(s)])),
    behaviours: Object.fromEntries(behaviours.map((s) => [s.k, figures(s)])),
    grid: [...cells.values()].map(({ r, f, customers, revenue, segment, segments }) => ({
      r,
      f,
      customers,
      revenue: revenue.toFixed(2),
      segment,
      segments: segments.sort((a, b) => b.customers - a.customers || a.segment.localeCompare(b.segment)),
    })),
    pareto: PARETO_PERCENTS.map((percent) => ({ percent, share: spend > 0 ? Number(p[`p${percent}`]) / spend : 0 })),
    movementFrom,
    movement,
    sizes: dates.map((date) => {
      const on = sizeRows.filter((x) => x.day === date);
      const of = (kind: string) => Object.fromEntries(on.filter((x) => x.kind === kind).map((x) => [x.k, x.customers]));
      return { date, segments: of("rfm"), behaviours: of("behaviour") };
    }),
    consent: {
      segments: consentOf(consentRows, "rfm"),
      behaviours: consentOf(consentRows, "behaviour"),
    },
  };
}

type Split = { segment: string; customers: number };

const consentOf = (rows: { kind: string; k: string; email: number; sms: number }[], kind: string) =>
  Object.fromEntries(rows.filter((x) => x.kind === kind).map((x) => [x.k, { email: x.email, sms: x.sms }]));
