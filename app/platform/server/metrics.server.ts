import type { Db } from "../db.server";
import { queryRows } from "../db/sql.server";
import { throttleWaitCounts } from "../ops-counters.server";
import { formatPrometheus, type MetricFamily } from "./prometheus-text.server";
import { workerStatuses } from "./worker-heartbeat.server";

export interface MetricsSources {
  db: Db;
  /** Jobs pg-boss failed for good (retries exhausted), per queue. */
  deadLetters: () => Promise<{ queue: string; failed: number }[]>;
  now?: () => Date;
}

/**
 * Everything GET /metrics reports, in Prometheus text format. Database numbers are read at scrape time; the Admin
 * API throttle waits are this process's counters since it started.
 */
export async function renderMetrics(sources: MetricsSources): Promise<string> {
  const now = (sources.now ?? (() => new Date()))();
  const [backlog, failedSyncs, deadLetters, workers, inbox] = await Promise.all([
    sources.db.pendingRescore.groupBy({ by: ["shop"], _count: { _all: true }, _min: { createdAt: true } }),
    sources.db.syncRun.groupBy({ by: ["kind", "errorCode"], where: { status: "failed" }, _count: { _all: true } }),
    sources.deadLetters(),
    workerStatuses(sources.db, now),
    queryRows(sources.db, "pipeline/ingest/inbox/inbox-metrics.sql"),
  ]);
  const waits = throttleWaitCounts();
  const families: MetricFamily[] = [
    {
      name: "rfm_webhook_backlog_items",
      help: "Work received from webhooks and not applied yet, per shop and source (pending_rescore: customers whose aggregates changed and are not re-scored yet).",
      type: "gauge",
      samples: backlog.map((row) => ({
        labels: { shop: row.shop, source: "pending_rescore" },
        value: row._count._all,
      })),
    },
    {
      name: "rfm_webhook_backlog_oldest_seconds",
      help: "Age of the oldest unapplied webhook work per shop and source: the lag between a webhook and its effect.",
      type: "gauge",
      samples: backlog.map((row) => ({
        labels: { shop: row.shop, source: "pending_rescore" },
        value: row._min.createdAt ? Math.max(0, (now.getTime() - row._min.createdAt.getTime()) / 1000) : 0,
      })),
    },
    {
      name: "rfm_inbox_lag_seconds",
      help: "Seconds since the oldest webhook event still waiting in the inbox arrived, per shop (0: none waiting).",
      type: "gauge",
      samples: inbox.map((row) => ({
        labels: { shop: row.shop },
        value: row.oldestPendingAt ? Math.max(0, (now.getTime() - row.oldestPendingAt.getTime()) / 1000) : 0,
      })),
    },
    {
      name: "rfm_inbox_pending_events",
      help: "Webhook events in the inbox not applied yet, per shop (dead letters not included).",
      type: "gauge",
      samples: inbox.map((row) => ({ labels: { shop: row.shop }, value: Number(row.pending) })),
    },
    {
      name: "rfm_inbox_dead_letters",
      help: "Webhook events set aside after failing every attempt, per shop, until replayed (npm run inbox -- replay).",
      type: "gauge",
      samples: inbox.map((row) => ({ labels: { shop: row.shop }, value: Number(row.dead) })),
    },
    {
      name: "rfm_inbox_applied_events_total",
      help: "Webhook events the applier has applied, per shop (from its batches, pruned ones included).",
      type: "counter",
      samples: inbox.map((row) => ({ labels: { shop: row.shop }, value: Number(row.applied) })),
    },
    {
      name: "rfm_dead_letter_jobs",
      help: "Background jobs that failed after every retry and are still retained by pg-boss, per queue.",
      type: "gauge",
      samples: deadLetters.map((row) => ({ labels: { queue: row.queue }, value: row.failed })),
    },
    {
      name: "rfm_admin_api_throttle_waits_total",
      help: "Waits for the Admin API cost bucket in this process (paced: before sending; throttled: after a THROTTLED answer).",
      type: "counter",
      samples: waits.map((w) => ({ labels: { shop: w.shop, kind: w.kind }, value: w.waits })),
    },
    {
      name: "rfm_admin_api_throttle_wait_seconds_total",
      help: "Seconds spent waiting for the Admin API cost bucket in this process.",
      type: "counter",
      samples: waits.map((w) => ({
        labels: { shop: w.shop, kind: w.kind },
        value: Math.round(w.seconds * 1000) / 1000,
      })),
    },
    {
      name: "rfm_bulk_operation_failures",
      help: "Failed sync runs (backfill or reconcile bulk operations) stored, by kind and Shopify's error code.",
      type: "gauge",
      samples: failedSyncs.map((row) => ({
        labels: { kind: row.kind, error_code: row.errorCode ?? "none" },
        value: row._count._all,
      })),
    },
    {
      name: "rfm_workers_alive",
      help: "Worker processes whose heartbeat is fresh.",
      type: "gauge",
      samples: [{ value: workers.filter((w) => w.alive).length }],
    },
    {
      name: "rfm_worker_heartbeat_age_seconds",
      help: "Seconds since each known worker process last beat.",
      type: "gauge",
      samples: workers.map((w) => ({ labels: { worker: w.id, mode: w.mode }, value: w.ageSeconds })),
    },
  ];
  return formatPrometheus(families);
}
