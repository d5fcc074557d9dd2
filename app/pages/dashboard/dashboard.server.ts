import type { Db } from "../../platform/db.server";
import { SEGMENT_KEYS, type SegmentKey } from "../../domain/rfm/segments";
import { BEHAVIOUR_KEYS, type BehaviourKey } from "../../domain/rfm/behaviours";
import { segmentName } from "../../i18n/rfm/presets";
import { progressOf, type SyncProgress } from "../../pipeline/ingest/bulk-sync.server";
import { RECONSTRUCTED_DAYS } from "../../pipeline/score/scoring.server";
import { loadRfmSettings } from "../../settings/settings.server";
import { epochDay, isoDay } from "../../domain/rfm/dates";
import { RunStats, RunSummary, type GroupFigures } from "../../pipeline/score/run-shapes";

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
  grid: (RunSummary["grid"][number] & { name: string })[];
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
    [run, previousRun],
    firstRun,
    writeBack,
    previousWriteBack,
  ] = await Promise.all([
    loadRfmSettings(db, shop),
    db.shop.findUnique({ where: { shop }, select: { scoringStartedAt: true, scoringError: true } }),
    db.syncRun.findFirst({ where: { shop }, orderBy: { startedAt: "desc" } }),
    db.syncRun.findFirst({ where: { shop, status: "completed" }, orderBy: { startedAt: "desc" } }),
    db.order.findFirst({ where: { shop }, select: { id: true } }),
    // The latest full run and the one before (its duration times a running one).
    db.scoringRun.findMany({
      where: { shop, kind: "full", finishedAt: { not: null } },
      orderBy: { id: "desc" },
      take: 2,
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
  const rowOf = (
    key: SegmentKey | BehaviourKey,
    figures: GroupFigures | undefined,
    countsBefore: Map<string, number> | null,
  ): OverviewRow => {
    const f = figures ?? { customers: 0, revenue: "0", orders: 0, medianRecencyDays: null };
    return {
      key,
      name: name(key) as string,
      ...f,
      shareOfCustomers: totalCustomers > 0 ? f.customers / totalCustomers : 0,
      shareOfRevenue: totalRevenue > 0 ? Number(f.revenue) / totalRevenue : 0,
      averageOrderValue: f.orders > 0 ? (Number(f.revenue) / f.orders).toFixed(2) : null,
      change: countsBefore ? f.customers - (countsBefore.get(key) ?? 0) : null,
    };
  };
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
      ? SEGMENT_KEYS.map((k) => rowOf(k, summary.segments[k], historyCoversMovement ? before : null)).filter(
          (r) => r.customers > 0 || r.change,
        )
      : [],
    // Behaviour history is not part of the movement matrix: no change column for them.
    behaviours: summary
      ? BEHAVIOUR_KEYS.map((k) => rowOf(k, summary.behaviours[k], null)).filter((r) => r.customers > 0)
      : [],
    grid: (summary?.grid ?? []).map((c) => ({ ...c, name: name(c.segment) as string })),
    pareto: summary?.pareto ?? [],
    movement: (summary?.movement ?? []).map((m) => ({ ...m, fromName: name(m.from), toName: name(m.to) })),
    movementFrom,
    historyCoversMovement,
    historyStart: firstRun ? firstRun.asOf.toISOString().slice(0, 10) : null,
    reconstructedUntil:
      firstRun?.kind === "reconstructed"
        ? isoDay(epochDay(firstRun.asOf.toISOString().slice(0, 10)) + RECONSTRUCTED_DAYS)
        : null,
    scale: run?.scale ?? settings.scale,
  };
}
