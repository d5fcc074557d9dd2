import type pg from "pg";
import type { Db } from "../../platform/db.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { AdminUserErrors } from "../../shopify/admin-errors.server";
import type { Logger } from "../../platform/logger.server";
import { recomputeShopAggregates } from "../aggregate/aggregates.server";
import { bulkOperationStatus, ordersCount, runOrdersBulkQuery } from "../../shopify/orders.server";
import { ingestOrdersJsonl } from "./bulk-ingest.server";

export type SyncKind = "backfill" | "reconcile";
export type SyncStatus = "running" | "ingesting" | "aggregating" | "completed" | "failed";

export interface SyncDeps {
  db: Db;
  admin: AdminClient;
  pool: pg.Pool;
  logger: Logger;
  /** Scopes granted to the app (read_all_orders decides how far back Shopify lets us read). */
  scopes: string[];
  fetch?: typeof fetch;
}

const ACTIVE: SyncStatus[] = ["running", "ingesting", "aggregating"];

/** Plain words for the merchant, per bulk operation outcome. */
export const BULK_FAILURE_MESSAGES: Record<string, string> = {
  ACCESS_DENIED:
    "Shopify refused to export your orders: the app is missing an order permission or is not approved for protected customer data (see the notice above). Once access is granted, retry.",
  INTERNAL_SERVER_ERROR: "Shopify had an internal error while exporting your orders. Retrying usually works.",
  TIMEOUT:
    "Shopify's export of your orders took too long and was stopped. Retry; big stores may need a couple of tries.",
  EXPIRED: "Shopify's export file expired before it could be read. Retry to export again.",
  CANCELED: "The order export was cancelled.",
};

export const LIMITED_HISTORY_MESSAGE =
  "Shopify only shares the last 60 days of orders with this app because it has no read_all_orders access. Scores will only reflect recent orders until that access is granted.";

export async function activeRun(db: Db, shop: string) {
  return db.syncRun.findFirst({ where: { shop, status: { in: ACTIVE } }, orderBy: { startedAt: "desc" } });
}

/**
 * Starts a backfill (all history) or a reconciliation (orders updated since
 * the last successful sync) as a Shopify bulk operation. Returns the active
 * run instead when one is already going.
 */
export async function startSync(deps: SyncDeps, kind: SyncKind) {
  const { db, admin, logger } = deps;
  const shop = admin.shop;
  const existing = await activeRun(db, shop);
  if (existing) return existing;

  const shopRow = await db.shop.findUnique({ where: { shop }, select: { ordersSyncedAt: true } });
  const since = kind === "reconcile" ? (shopRow?.ordersSyncedAt ?? null) : null;
  const effectiveKind: SyncKind = kind === "reconcile" && !since ? "backfill" : kind;
  // A minute of overlap: an order updated while the last export ran is read again, never missed.
  const search = since ? `updated_at:>='${new Date(since.getTime() - 60_000).toISOString()}'` : null;
  const limited = !deps.scopes.includes("read_all_orders");

  const counted = await ordersCount(admin, search);
  const run = await db.syncRun.create({
    data: {
      shop,
      kind: effectiveKind,
      status: "running",
      phase: "exporting",
      updatedSince: since,
      limitedTo60Days: limited,
      ordersExpected: counted?.count ?? null,
      message: limited ? LIMITED_HISTORY_MESSAGE : null,
    },
  });
  const payload = await runOrdersBulkQuery(admin, search);
  if (!payload || payload.userErrors.length > 0 || !payload.bulkOperation) {
    const errors = payload?.userErrors ?? [];
    const inProgress = errors.some((e) => e.code === "OPERATION_IN_PROGRESS");
    const message = inProgress
      ? "Another bulk export is already running for this store; the sync will be retried."
      : `Shopify refused the order export: ${errors.map((e) => e.message).join("; ") || "no operation returned"}`;
    await db.syncRun.update({
      where: { shop_id: { shop, id: run.id } },
      data: { status: "failed", message, finishedAt: new Date() },
    });
    logger.warn({ shop, errors }, "bulk operation refused");
    if (!inProgress) throw new AdminUserErrors("bulkOperationRunQuery", errors);
    return db.syncRun.findUniqueOrThrow({ where: { shop_id: { shop, id: run.id } } });
  }
  return db.syncRun.update({
    where: { shop_id: { shop, id: run.id } },
    data: { bulkOperationId: payload.bulkOperation.id, bulkStatus: payload.bulkOperation.status },
  });
}

export type CheckOutcome = "waiting" | "completed" | "failed";

/**
 * Moves a run forward: polls its bulk operation and, once the file is ready,
 * ingests it (resuming after the last committed line) and recomputes the
 * aggregates. Safe to call repeatedly and after a crash.
 */
export async function advanceSync(deps: SyncDeps, runId: string): Promise<CheckOutcome> {
  const { db, admin } = deps;
  const shop = admin.shop;
  const run = await db.syncRun.findUniqueOrThrow({ where: { shop_id: { shop, id: runId } } });
  if (run.status === "completed") return "completed";
  if (run.status === "failed") return "failed";
  if (!run.bulkOperationId) return "failed";
  // One advancer at a time (the worker woken by the webhook, the poller, the CLI):
  // a lease row-lock, which also works on PGlite where every connection shares one session.
  const claimed = await db.syncRun.updateMany({
    where: { shop, id: runId, OR: [{ leaseUntil: null }, { leaseUntil: { lt: new Date() } }] },
    data: { leaseUntil: new Date(Date.now() + 15 * 60_000) },
  });
  if (claimed.count === 0) return "waiting";
  try {
    return await advanceClaimed(deps, runId);
  } finally {
    await db.syncRun.updateMany({ where: { shop, id: runId }, data: { leaseUntil: null } });
  }
}

async function advanceClaimed(deps: SyncDeps, runId: string): Promise<CheckOutcome> {
  const { db, admin, logger } = deps;
  const shop = admin.shop;
  const run = await db.syncRun.findUniqueOrThrow({ where: { shop_id: { shop, id: runId } } });
  if (run.status === "completed") return "completed";
  if (run.status === "failed") return "failed";

  if (run.status === "running") {
    // advanceSync checked the id; a run without one reads as an operation Shopify no longer has.
    const op = run.bulkOperationId ? await bulkOperationStatus(admin, run.bulkOperationId) : null;
    if (!op) {
      await fail(db, shop, runId, "EXPIRED", BULK_FAILURE_MESSAGES.EXPIRED as string);
      return "failed";
    }
    await db.syncRun.update({
      where: { shop_id: { shop, id: runId } },
      data: { bulkStatus: op.status, heartbeatAt: new Date() },
    });
    if (op.status === "CREATED" || op.status === "RUNNING" || op.status === "CANCELING") return "waiting";
    if (op.status !== "COMPLETED") {
      const code = op.errorCode ?? op.status;
      if (op.partialDataUrl) {
        // Keep what Shopify did export: it is real data, and the retry will upsert over it.
        await ingest(deps, runId, op.partialDataUrl);
        await db.syncRun.update({ where: { shop_id: { shop, id: runId } }, data: { partial: true } });
      }
      await fail(db, shop, runId, code, BULK_FAILURE_MESSAGES[code] ?? `Shopify's order export ended with ${code}.`);
      return "failed";
    }
    await db.syncRun.update({
      where: { shop_id: { shop, id: runId } },
      data: { status: "ingesting", phase: "ingesting", ingestStartedAt: new Date(), resultUrl: op.url },
    });
  }

  const current = await db.syncRun.findUniqueOrThrow({ where: { shop_id: { shop, id: runId } } });
  if (current.status === "ingesting") {
    if (current.resultUrl) await ingest(deps, runId, current.resultUrl);
    await db.syncRun.update({
      where: { shop_id: { shop, id: runId } },
      data: { status: "aggregating", phase: "aggregating" },
    });
  }
  await recomputeShopAggregates(db, shop);
  await db.$transaction([
    db.syncRun.update({
      where: { shop_id: { shop, id: runId } },
      data: { status: "completed", phase: "completed", finishedAt: new Date() },
    }),
    db.shop.update({ where: { shop }, data: { ordersSyncedAt: current.startedAt } }),
  ]);
  logger.info({ shop, runId, orders: current.ordersIngested }, "order sync completed");
  return "completed";
}

async function ingest(deps: SyncDeps, runId: string, url: string): Promise<void> {
  const { db, pool, admin } = deps;
  const shop = admin.shop;
  const run = await db.syncRun.findUniqueOrThrow({ where: { shop_id: { shop, id: runId } } });
  const response = await (deps.fetch ?? fetch)(url);
  if (!response.ok || !response.body) throw new Error(`Downloading the bulk result failed: HTTP ${response.status}`);
  await ingestOrdersJsonl({
    pool,
    shop,
    runId,
    source: response.body,
    skipLines: run.linesCommitted,
    ordersAlready: run.ordersIngested,
  });
}

async function fail(db: Db, shop: string, runId: string, code: string, message: string): Promise<void> {
  await db.syncRun.update({
    where: { shop_id: { shop, id: runId } },
    data: { status: "failed", phase: "failed", errorCode: code, message, finishedAt: new Date() },
  });
}

export interface SyncProgress {
  runId: string;
  kind: string;
  status: string;
  phase: string | null;
  ordersExpected: number | null;
  ordersIngested: number;
  ordersPerSecond: number | null;
  etaSeconds: number | null;
  message: string | null;
  limitedTo60Days: boolean;
  startedAt: Date;
  finishedAt: Date | null;
}

/** What the progress bar shows: phase, counts, rate and ETA. */
export function progressOf(
  run: {
    id: string;
    kind: string;
    status: string;
    phase: string | null;
    ordersExpected: number | null;
    ordersIngested: number;
    ingestStartedAt: Date | null;
    heartbeatAt: Date;
    message: string | null;
    limitedTo60Days: boolean;
    startedAt: Date;
    finishedAt: Date | null;
  },
  now = new Date(),
): SyncProgress {
  const elapsed = run.ingestStartedAt ? ((run.finishedAt ?? now).getTime() - run.ingestStartedAt.getTime()) / 1000 : 0;
  const rate = elapsed > 0 && run.ordersIngested > 0 ? run.ordersIngested / elapsed : null;
  const left = run.ordersExpected !== null ? Math.max(0, run.ordersExpected - run.ordersIngested) : null;
  return {
    runId: run.id,
    kind: run.kind,
    status: run.status,
    phase: run.phase,
    ordersExpected: run.ordersExpected,
    ordersIngested: run.ordersIngested,
    ordersPerSecond: rate,
    etaSeconds: rate && left !== null && run.status === "ingesting" ? left / rate : null,
    message: run.message,
    limitedTo60Days: run.limitedTo60Days,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
  };
}
