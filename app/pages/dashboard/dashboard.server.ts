import { nextAction, type NextAction } from "../../domain/rfm/next-action";
import type { Db } from "../../platform/db.server";
import { SEGMENT_KEYS, type SegmentKey } from "../../domain/rfm/segments";
import { BEHAVIOUR_KEYS, type BehaviourKey } from "../../domain/rfm/behaviours";
import { segmentName } from "../../i18n/rfm/presets";
import { progressOf, type SyncProgress } from "../../pipeline/ingest/bulk-sync.server";
import { RECONSTRUCTED_DAYS } from "../../pipeline/score/scoring.server";
import { loadRfmSettings } from "../../settings/settings.server";
import { epochDay, isoDay } from "../../domain/rfm/dates";
import { RunCutoffs, RunStats, RunSummary, type GroupFigures } from "../../pipeline/score/run-shapes";
import { RfmSettings } from "../../domain/rfm/settings";
import { AT_RISK_SEGMENTS, BEST_SEGMENTS, emptyScores, movedDown } from "../../domain/rfm/first-screen";

/** A run that has not finished within this long is treated as interrupted, not running. */
const STALE_MS = 60 * 60_000;

export interface OverviewRow extends GroupFigures {
  key: SegmentKey | BehaviourKey;
  name: string;
  shareOfCustomers: number;
  shareOfRevenue: number;
  averageOrderValue: string | null;
  /** Customers now minus customers on the movement start date (null: no history that far back). */
  change: number | null;
  /** Customers on each week's date the stored history covers, the run's date last (one point: no trend yet). */
  trend: { date: string; customers: number }[];
  /** Customers who accept email / SMS marketing (null: the run stored no consent counts). */
  consent: { email: number; sms: number } | null;
}

export interface Headline {
  customers: number;
  /** Net spend in the window of Champions + Loyal. */
  bestRevenue: string;
  /** Net spend in the window of At risk + Can't lose + About to sleep. */
  atRiskRevenue: string;
  /** Customers now in a lower segment than on movementFrom (null: the history does not reach back). */
  movedDown: number | null;
}

export interface GridCell {
  r: number;
  f: number;
  customers: number;
  revenue: string;
  segment: string;
  name: string;
  /** The cell's customers in its main segment: the link opens them. */
  url: string;
  segments: { segment: string; name: string; customers: number }[];
}

export interface PhaseStatus {
  state: "idle" | "queued" | "running" | "failed" | "interrupted";
  startedAt: string | null;
  finishedAt: string | null;
  /** Seconds the previous run took: the running one's progress and ETA are measured against it. */
  expectedSeconds: number | null;
  message: string | null;
}

export interface Dashboard {
  hasOrders: boolean;
  sync: { current: SyncProgress | null; lastCompleted: SyncProgress | null };
  scoring: PhaseStatus;
  writeBack: PhaseStatus & {
    phase: string | null;
    tagCustomers: number | null;
    metafieldCustomers: number | null;
    segmentsChanged: number | null;
    refused: number;
  };
  run: { asOf: string; customers: number; finishedAt: string; orders: number; revenue: string } | null;
  segments: OverviewRow[];
  behaviours: OverviewRow[];
  headline: Headline | null;
  /** The segment names the headline labels use, in the merchant's naming. */
  headlineNames: { best: string[]; atRisk: string[] };
  /** The page's primary action: the segment to act on first (app/domain/rfm/next-action.ts). */
  nextAction: { kind: NextAction["kind"]; segment: string; name: string; revenue: string; url: string } | null;
  grid: GridCell[];
  /**
   * F scores nobody has because the lowest order count holds so many customers that ranks skip past them
   * (null: every F score is used, or the run used fixed thresholds).
   */
  emptyFrequency: { scores: number[]; orders: number; share: number } | null;
  pareto: RunSummary["pareto"];
  movement: {
    from: string | null;
    to: string | null;
    fromName: string | null;
    toName: string | null;
    customers: number;
  }[];
  movementFrom: string | null;
  /** Whether the stored history reaches back to movementFrom (else every customer shows as new). */
  historyCoversMovement: boolean;
  /** The first full run's date: the stored history starts there. */
  historyStart: string | null;
  /** Until this date the history was reconstructed from the orders (see reconstructHistory); null: all recorded. */
  reconstructedUntil: string | null;
  scale: number;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/**
 * Everything the home page shows, from a handful of indexed reads: the
 * figures come precomputed with the latest full run (RunSummary), so the
 * page costs the same for ten customers as for a million.
 */
export async function loadDashboard(db: Db, shop: string, locale: string | null, now = new Date()): Promise<Dashboard> {
  const [
    settings,
    shopRow,
    latestSync,
    lastCompleted,
    anyOrder,
    run,
    previousRun,
    firstRun,
    writeBack,
    previousWriteBack,
  ] = await Promise.all([
    loadRfmSettings(db, shop),
    db.shop.findUnique({ where: { shop }, select: { scoringStartedAt: true, scoringError: true } }),
    db.syncRun.findFirst({ where: { shop }, orderBy: { startedAt: "desc" } }),
    db.syncRun.findFirst({ where: { shop, status: "completed" }, orderBy: { startedAt: "desc" } }),
    db.order.findFirst({ where: { shop }, select: { id: true } }),
    // The latest full run, and of the one before only its stats (its duration times a running one; its summary
    // is the large part of a row).
    db.scoringRun.findFirst({ where: { shop, kind: "full", finishedAt: { not: null } }, orderBy: { id: "desc" } }),
    db.scoringRun.findFirst({
      where: { shop, kind: "full", finishedAt: { not: null } },
      orderBy: { id: "desc" },
      skip: 1,
      select: { stats: true },
    }),
    db.scoringRun.findFirst({
      where: { shop, kind: { in: ["full", "reconstructed"] }, finishedAt: { not: null } },
      orderBy: { id: "asc" },
      select: { asOf: true, kind: true },
    }),
    db.writeBackRun.findFirst({ where: { shop }, orderBy: { id: "desc" } }),
    db.writeBackRun.findFirst({
      where: { shop, phase: "done" },
      orderBy: { id: "desc" },
      select: { startedAt: true, finishedAt: true },
    }),
  ]);
  const name = (key: string | null) => (key === null ? null : segmentName(key as SegmentKey, settings, locale));
  const stored = RunSummary.safeParse(run?.summary);
  const summary = stored.success ? stored.data : null;
  const storedCutoffs = RunCutoffs.safeParse(run?.cutoffs);
  const runSettings = RfmSettings.safeParse(run?.settings);
  const runSeconds = (stats: unknown) => {
    const stored = RunStats.pick({ seconds: true }).safeParse(stats);
    return stored.success ? stored.data.seconds : null;
  };

  const scoringStarted = shopRow?.scoringStartedAt ?? null;
  const scoringRunning =
    scoringStarted !== null && (!run?.finishedAt || scoringStarted > run.finishedAt) && !shopRow?.scoringError;
  const scoring: PhaseStatus = {
    state: shopRow?.scoringError
      ? "failed"
      : scoringRunning
        ? now.getTime() - scoringStarted.getTime() > STALE_MS
          ? "interrupted"
          : "running"
        : "idle",
    startedAt: iso(scoringRunning ? scoringStarted : run?.startedAt),
    finishedAt: iso(run?.finishedAt),
    expectedSeconds: runSeconds(run?.stats) ?? runSeconds(previousRun?.stats),
    message: shopRow?.scoringError ?? null,
  };
  const wbRunning = writeBack !== null && writeBack.finishedAt === null;
  // A full run is always followed by a write-back: until it starts, it is queued.
  const wbQueued =
    !wbRunning &&
    run?.finishedAt != null &&
    (writeBack === null || writeBack.startedAt < run.finishedAt) &&
    now.getTime() - run.finishedAt.getTime() < STALE_MS;
  const writeBackStatus: Dashboard["writeBack"] = {
    state: wbQueued
      ? "queued"
      : writeBack?.phase === "failed"
        ? "failed"
        : wbRunning
          ? now.getTime() - writeBack.startedAt.getTime() > STALE_MS
            ? "interrupted"
            : "running"
          : "idle",
    startedAt: iso(writeBack?.startedAt),
    finishedAt: iso(writeBack?.finishedAt),
    expectedSeconds: previousWriteBack?.finishedAt
      ? (previousWriteBack.finishedAt.getTime() - previousWriteBack.startedAt.getTime()) / 1000
      : null,
    message: writeBack?.message ?? null,
    phase: writeBack?.phase ?? null,
    tagCustomers: writeBack?.tagCustomers ?? null,
    metafieldCustomers: writeBack?.metafieldCustomers ?? null,
    segmentsChanged: writeBack?.segmentsChanged ?? null,
    refused: writeBack?.refused ?? 0,
  };

  const movementFrom = summary?.movementFrom ?? null;
  const historyCoversMovement = Boolean(
    movementFrom && firstRun && firstRun.asOf.toISOString().slice(0, 10) <= movementFrom,
  );
  const before = new Map<string, number>();
  for (const m of summary?.movement ?? [])
    if (m.from !== null) before.set(m.from, (before.get(m.from) ?? 0) + m.customers);
  const totalRevenue = Number(summary?.total.revenue ?? 0);
  const totalCustomers = summary?.total.customers ?? 0;
  const historyStart = firstRun ? firstRun.asOf.toISOString().slice(0, 10) : null;
  // Dates before the first run count nobody: the trend starts where the history does.
  const sizes = (summary?.sizes ?? []).filter((x) => historyStart !== null && x.date >= historyStart);
  const behavioursBefore = sizes.find((x) => x.date === movementFrom);
  const asOf = run ? run.asOf.toISOString().slice(0, 10) : "";
  const rowOf = (
    key: SegmentKey | BehaviourKey,
    kind: "segments" | "behaviours",
    figures: GroupFigures | undefined,
    countsBefore: Map<string, number> | null,
  ): OverviewRow => {
    const f = figures ?? { customers: 0, revenue: "0", orders: 0, medianRecencyDays: null };
    // movementFrom (30 days back) is stored for the change column, not a weekly point.
    const weekly = sizes.filter((x) => x.date !== movementFrom);
    return {
      trend: [
        ...weekly.map((x) => ({ date: x.date, customers: x[kind][key] ?? 0 })),
        { date: asOf, customers: f.customers },
      ],
      consent: summary?.consent ? (summary.consent[kind][key] ?? { email: 0, sms: 0 }) : null,
      key,
      name: name(key) as string,
      ...f,
      shareOfCustomers: totalCustomers > 0 ? f.customers / totalCustomers : 0,
      shareOfRevenue: totalRevenue > 0 ? Number(f.revenue) / totalRevenue : 0,
      averageOrderValue: f.orders > 0 ? (Number(f.revenue) / f.orders).toFixed(2) : null,
      change: countsBefore ? f.customers - (countsBefore.get(key) ?? 0) : null,
    };
  };
  const next = summary
    ? nextAction(SEGMENT_KEYS.map((k) => ({ key: k, customers: 0, revenue: "0", ...summary.segments[k] })))
    : null;
  return {
    hasOrders: anyOrder !== null,
    sync: {
      current: latestSync ? progressOf(latestSync, now) : null,
      lastCompleted: lastCompleted ? progressOf(lastCompleted, now) : null,
    },
    scoring,
    writeBack: writeBackStatus,
    run:
      run && run.finishedAt && summary
        ? {
            asOf: run.asOf.toISOString().slice(0, 10),
            customers: run.customers,
            finishedAt: run.finishedAt.toISOString(),
            orders: summary.total.orders,
            revenue: summary.total.revenue,
          }
        : null,
    segments: summary
      ? SEGMENT_KEYS.map((k) =>
          rowOf(k, "segments", summary.segments[k], historyCoversMovement ? before : null),
        ).filter((r) => r.customers > 0 || r.change)
      : [],
    // Behaviour stays are not in the movement matrix: their change comes from the sizes stored for movementFrom.
    behaviours: summary
      ? BEHAVIOUR_KEYS.map((k) =>
          rowOf(
            k,
            "behaviours",
            summary.behaviours[k],
            historyCoversMovement && behavioursBefore ? new Map(Object.entries(behavioursBefore.behaviours)) : null,
          ),
        ).filter((r) => r.customers > 0 || r.change)
      : [],
    headline: summary
      ? {
          customers: summary.total.customers,
          bestRevenue: sumRevenue(summary, BEST_SEGMENTS),
          atRiskRevenue: sumRevenue(summary, AT_RISK_SEGMENTS),
          movedDown: historyCoversMovement ? movedDown(summary.movement) : null,
        }
      : null,
    headlineNames: {
      best: BEST_SEGMENTS.map((k) => name(k) as string),
      atRisk: AT_RISK_SEGMENTS.map((k) => name(k) as string),
    },
    nextAction: next
      ? {
          kind: next.kind,
          segment: next.segment,
          name: name(next.segment) as string,
          revenue: summary?.segments[next.segment]?.revenue ?? "0",
          url: `/app/segments/${next.segment}`,
        }
      : null,
    grid: (summary?.grid ?? []).map((c) => ({
      r: c.r,
      f: c.f,
      customers: c.customers,
      revenue: c.revenue,
      segment: c.segment,
      name: name(c.segment) as string,
      url: `/app/segments/${c.segment}?r=${c.r}&f=${c.f}`,
      segments: (c.segments ?? [{ segment: c.segment, customers: c.customers }]).map((x) => ({
        ...x,
        name: name(x.segment) as string,
      })),
    })),
    emptyFrequency: emptyFrequencyOf(
      summary?.grid ?? [],
      run?.scale ?? settings.scale,
      runSettings.success ? runSettings.data.frequencyMode : settings.frequencyMode,
      storedCutoffs.success ? storedCutoffs.data.f : [],
      totalCustomers,
    ),
    pareto: summary?.pareto ?? [],
    movement: (summary?.movement ?? []).map((m) => ({ ...m, fromName: name(m.from), toName: name(m.to) })),
    movementFrom,
    historyCoversMovement,
    historyStart,
    reconstructedUntil:
      firstRun?.kind === "reconstructed"
        ? isoDay(epochDay(firstRun.asOf.toISOString().slice(0, 10)) + RECONSTRUCTED_DAYS)
        : null,
    scale: run?.scale ?? settings.scale,
  };
}

/** Net spend of the given segments, to the cent (decimal strings summed in cents, not floats). */
function sumRevenue(summary: RunSummary, keys: readonly SegmentKey[]): string {
  const cents = keys.reduce((n, k) => n + Math.round(Number(summary.segments[k]?.revenue ?? 0) * 100), 0);
  return (cents / 100).toFixed(2);
}

function emptyFrequencyOf(
  grid: RunSummary["grid"],
  scale: number,
  mode: RfmSettings["frequencyMode"],
  f: RunCutoffs["f"],
  total: number,
): Dashboard["emptyFrequency"] {
  if (mode !== "rank" || total === 0) return null;
  const scores = emptyScores(grid, scale);
  const lowest = f.find((c) => c.score === 1);
  // Ranks skip a score only past a tie: F 1 then holds exactly the customers with the lowest order count.
  if (scores.length === 0 || !lowest || lowest.min !== lowest.max) return null;
  return { scores, orders: lowest.min, share: lowest.customers / total };
}
