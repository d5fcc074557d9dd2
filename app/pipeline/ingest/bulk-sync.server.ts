import type pg from "pg";
import type { Db } from "../../platform/db.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { AdminUserErrors } from "../../shopify/admin-errors.server";
import type { Logger } from "../../platform/logger.server";
import { recomputeShopAggregates } from "../aggregate/aggregates.server";
import {
  bulkOperationStatus,
  bulkQueriesInProgress,
  ordersCount,
  ordersCounts,
  runOrdersBulkQuery,
} from "../../shopify/orders.server";
import { processedAtSearch } from "../../shopify/operations/orders";
import { planExportRanges, type ExportRange } from "./export-ranges.server";
import { customersCount, runCustomersBulkQuery } from "../../shopify/customers.server";
import { ingestCustomersJsonl, ingestOrdersJsonl } from "./bulk-ingest.server";

/**
 * backfill: every order and every customer; reconcile: orders and customers updated since the last sync of each;
 * customers: the customers export alone (shops installed before customer profiles were exported).
 */
export type SyncKind = "backfill" | "reconcile" | "customers";
export type SyncStatus = "running" | "ingesting" | "aggregating" | "completed" | "failed";

export interface SyncDeps {
  db: Db;
  admin: AdminClient;
  pool: pg.Pool;
  logger: Logger;
  /** Scopes granted to the app (read_all_orders decides how far back Shopify lets us read). */
  scopes: string[];
  fetch?: typeof fetch;
  /** A first backfill of at least this many orders is split into processed_at ranges (default SPLIT_MIN_ORDERS). */
  splitMinOrders?: number;
  /** Lines per committed batch of a range's ingest (tests: small, so a broken download has a resume point). */
  ingestBatchLines?: number;
}

/** Bulk queries Shopify runs at once per app and shop (API 2026-01+); the customers export takes one. */
export const MAX_CONCURRENT_BULK_QUERIES = 5;
/** Below this a split saves less export time than its counting requests and extra files cost. */
export const SPLIT_MIN_ORDERS = 20_000;

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

/** The same outcomes for the customers export that runs beside the orders one. */
export const CUSTOMER_BULK_FAILURE_MESSAGES: Record<string, string> = {
  ACCESS_DENIED:
    "Shopify refused to export your customers: the app is missing a customer permission. Reinstall or approve the requested access, then retry.",
  INTERNAL_SERVER_ERROR: "Shopify had an internal error while exporting your customers. Retrying usually works.",
  TIMEOUT:
    "Shopify's export of your customers took too long and was stopped. Retry; big stores may need a couple of tries.",
  EXPIRED: "Shopify's customer export file expired before it could be read. Retry to export again.",
  CANCELED: "The customer export was cancelled.",
};

type Resource = "orders" | "customers";

function failureMessage(resource: Resource, code: string): string {
  const table = resource === "orders" ? BULK_FAILURE_MESSAGES : CUSTOMER_BULK_FAILURE_MESSAGES;
  const noun = resource === "orders" ? "order" : "customer";
  return table[code] ?? `Shopify's ${noun} export ended with ${code}.`;
}

/** A minute of overlap: a record updated while the last export ran is read again, never missed. */
function updatedSinceSearch(since: Date | null): string | null {
  return since ? `updated_at:>='${new Date(since.getTime() - 60_000).toISOString()}'` : null;
}

export const LIMITED_HISTORY_MESSAGE =
  "Shopify only shares the last 60 days of orders with this app because it has no read_all_orders access. Scores will only reflect recent orders until that access is granted.";

export async function activeRun(db: Db, shop: string) {
  return db.syncRun.findFirst({ where: { shop, status: { in: ACTIVE } }, orderBy: { startedAt: "desc" } });
}

/**
 * Starts a backfill (all history) or a reconciliation (orders and customers
 * updated since the last successful sync of each) as two Shopify bulk
 * operations running at once — the orders export and the customers export
 * (API 2026-01+ runs up to five bulk queries per shop) — or, for "customers",
 * the customers export alone. Returns the active run instead when one is
 * already going.
 */
export async function startSync(deps: SyncDeps, kind: SyncKind) {
  const { db, admin, logger } = deps;
  const shop = admin.shop;
  const existing = await activeRun(db, shop);
  if (existing) return existing;

  const shopRow = await db.shop.findUnique({
    where: { shop },
    select: { ordersSyncedAt: true, customersSyncedAt: true },
  });
  // A customers-only export is a one-off: a repeated job (a second worker start) finds it done and exports nothing.
  if (kind === "customers" && shopRow?.customersSyncedAt) {
    const last = await db.syncRun.findFirst({ where: { shop }, orderBy: { startedAt: "desc" } });
    if (last) return last;
  }
  const withOrders = kind !== "customers";
  const since = kind === "reconcile" ? (shopRow?.ordersSyncedAt ?? null) : null;
  const effectiveKind: SyncKind = kind === "reconcile" && !since ? "backfill" : kind;
  const search = updatedSinceSearch(since);
  // Customers never exported (a shop from before profiles) are exported in full, even on a reconcile.
  const customersSince = effectiveKind === "reconcile" ? (shopRow?.customersSyncedAt ?? null) : null;
  const limited = withOrders && !deps.scopes.includes("read_all_orders");

  const counted = withOrders ? await ordersCount(admin, search) : null;
  const customersSearch = updatedSinceSearch(customersSince);
  const customersCounted = await customersCount(admin, customersSearch);
  // A first backfill of a big shop: one export per processed_at range, the customers export beside them.
  // Slots a query of an earlier run still holds (one that failed beside a running export) are left to it.
  const splitting = effectiveKind === "backfill" && (counted?.count ?? 0) >= (deps.splitMinOrders ?? SPLIT_MIN_ORDERS);
  const parts = splitting ? MAX_CONCURRENT_BULK_QUERIES - 1 - (await bulkQueriesInProgress(admin)) : 0;
  const ranges: ExportRange[] =
    parts > 1 ? await planExportRanges((searches) => ordersCounts(admin, searches), parts, new Date()) : [];
  const split = ranges.length > 1;
  const run = await db.syncRun.create({
    data: {
      shop,
      kind: effectiveKind,
      status: "running",
      phase: "exporting",
      updatedSince: since,
      limitedTo60Days: limited,
      ordersExpected: withOrders ? (counted?.count ?? null) : 0,
      customersExpected: customersCounted?.count ?? null,
      message: limited ? LIMITED_HISTORY_MESSAGE : null,
      orderRanges: split ? ranges.length : 0,
    },
  });
  if (split)
    await db.syncRange.createMany({
      data: ranges.map((r, index) => ({
        shop,
        runId: run.id,
        index,
        fromAt: r.fromAt,
        toAt: r.toAt,
        ordersExpected: r.orders,
      })),
    });
  const started: {
    bulkOperationId?: string;
    bulkStatus?: string;
    customersBulkOperationId?: string;
    customersBulkStatus?: string;
  } = {};
  const exports: { resource: Resource; range?: number; start: () => ReturnType<typeof runOrdersBulkQuery> }[] = [];
  if (split)
    ranges.forEach((r, index) =>
      exports.push({
        resource: "orders",
        range: index,
        start: () => runOrdersBulkQuery(admin, processedAtSearch(r.fromAt, r.toAt)),
      }),
    );
  else if (withOrders) exports.push({ resource: "orders", start: () => runOrdersBulkQuery(admin, search) });
  exports.push({
    resource: "customers",
    start: () => runCustomersBulkQuery(admin, customersSearch),
  });
  for (const { resource, range, start } of exports) {
    const payload = await start();
    if (!payload || payload.userErrors.length > 0 || !payload.bulkOperation) {
      const errors = payload?.userErrors ?? [];
      const busy = errors.some((e) => e.code === "OPERATION_IN_PROGRESS" || e.code === "LIMIT_REACHED");
      const noun = resource === "orders" ? "order" : "customer";
      const message = busy
        ? "Too many bulk exports are already running for this store; the sync will be retried."
        : `Shopify refused the ${noun} export: ${errors.map((e) => e.message).join("; ") || "no operation returned"}`;
      await db.syncRun.update({
        where: { shop_id: { shop, id: run.id } },
        data: { ...started, status: "failed", message, finishedAt: new Date() },
      });
      logger.warn({ shop, resource, errors }, "bulk operation refused");
      if (!busy) throw new AdminUserErrors("bulkOperationRunQuery", errors);
      return db.syncRun.findUniqueOrThrow({ where: { shop_id: { shop, id: run.id } } });
    }
    if (range !== undefined) {
      await db.syncRange.update({
        where: { shop_runId_index: { shop, runId: run.id, index: range } },
        data: { bulkOperationId: payload.bulkOperation.id, bulkStatus: payload.bulkOperation.status },
      });
    } else if (resource === "orders") {
      started.bulkOperationId = payload.bulkOperation.id;
      started.bulkStatus = payload.bulkOperation.status;
    } else {
      started.customersBulkOperationId = payload.bulkOperation.id;
      started.customersBulkStatus = payload.bulkOperation.status;
    }
  }
  return db.syncRun.update({ where: { shop_id: { shop, id: run.id } }, data: started });
}

/**
 * Shops synced before customer profiles were exported (orders synced, customers never) that have not had their
 * one-off customers-only export yet. A failed one is not retried from here: the nightly reconcile exports every
 * customer while customersSyncedAt is unset.
 */
export async function shopsNeedingCustomerProfiles(db: Db): Promise<string[]> {
  const shops = await db.shop.findMany({
    where: { uninstalledAt: null, ordersSyncedAt: { not: null }, customersSyncedAt: null },
    select: { shop: true },
  });
  const tried = await db.syncRun.findMany({
    where: { shop: { in: shops.map((s) => s.shop) }, kind: "customers" },
    select: { shop: true },
    distinct: ["shop"],
  });
  const done = new Set(tried.map((r) => r.shop));
  return shops.map((s) => s.shop).filter((shop) => !done.has(shop));
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
  if (!run.bulkOperationId && !run.customersBulkOperationId && run.orderRanges === 0) return "failed";
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
  if (run.orderRanges > 0 && (run.status === "running" || run.status === "ingesting")) {
    const outcome = await advanceRanges(deps, runId);
    if (outcome !== "ingested") return outcome;
  }

  if (run.status === "running" && run.orderRanges === 0) {
    // Both exports are polled; the run waits for both, and fails (with that export's message) if either fails.
    const ops: { resource: Resource; id: string }[] = [
      ...(run.bulkOperationId ? [{ resource: "orders" as const, id: run.bulkOperationId }] : []),
      ...(run.customersBulkOperationId ? [{ resource: "customers" as const, id: run.customersBulkOperationId }] : []),
    ];
    const polled: { resource: Resource; op: Awaited<ReturnType<typeof bulkOperationStatus>> }[] = [];
    for (const { resource, id } of ops) polled.push({ resource, op: await bulkOperationStatus(admin, id) });
    await db.syncRun.update({
      where: { shop_id: { shop, id: runId } },
      data: {
        heartbeatAt: new Date(),
        ...Object.fromEntries(
          polled.map(({ resource, op }) => [
            resource === "orders" ? "bulkStatus" : "customersBulkStatus",
            op?.status ?? "EXPIRED",
          ]),
        ),
      },
    });
    for (const { resource, op } of polled) {
      if (!op) {
        // An operation Shopify no longer has.
        await fail(db, shop, runId, "EXPIRED", failureMessage(resource, "EXPIRED"));
        return "failed";
      }
      if (op.status === "CREATED" || op.status === "RUNNING" || op.status === "CANCELING") continue;
      if (op.status !== "COMPLETED") {
        const code = op.errorCode ?? op.status;
        if (op.partialDataUrl) {
          // Keep what Shopify did export: it is real data, and the retry will upsert over it.
          await ingest(deps, runId, resource, op.partialDataUrl);
          await db.syncRun.update({ where: { shop_id: { shop, id: runId } }, data: { partial: true } });
        }
        await fail(db, shop, runId, code, failureMessage(resource, code));
        return "failed";
      }
    }
    if (polled.some(({ op }) => op?.status !== "COMPLETED")) return "waiting";
    const urlOf = (resource: Resource) => polled.find((p) => p.resource === resource)?.op?.url ?? null;
    await db.syncRun.update({
      where: { shop_id: { shop, id: runId } },
      data: {
        status: "ingesting",
        phase: "ingesting",
        ingestStartedAt: new Date(),
        resultUrl: urlOf("orders"),
        customersResultUrl: urlOf("customers"),
      },
    });
  }

  const current = await db.syncRun.findUniqueOrThrow({ where: { shop_id: { shop, id: runId } } });
  if (current.status === "ingesting" && current.orderRanges === 0) {
    // Customers first (the smaller file); customersDone keeps a resumed run from reading it again.
    if (!current.customersDone) {
      if (current.customersResultUrl) await ingest(deps, runId, "customers", current.customersResultUrl);
      await db.syncRun.update({ where: { shop_id: { shop, id: runId } }, data: { customersDone: true } });
    }
    if (current.resultUrl) await ingest(deps, runId, "orders", current.resultUrl);
    await db.syncRun.update({
      where: { shop_id: { shop, id: runId } },
      data: { status: "aggregating", phase: "aggregating" },
    });
  }
  const withOrders = current.bulkOperationId !== null || current.orderRanges > 0;
  if (withOrders) await recomputeShopAggregates(db, shop);
  // The row as completed, not `current` (read before the ingest counted anything).
  const [finished] = await db.$transaction([
    db.syncRun.update({
      where: { shop_id: { shop, id: runId } },
      data: { status: "completed", phase: "completed", finishedAt: new Date() },
      select: { ordersIngested: true, customersIngested: true },
    }),
    db.shop.update({
      where: { shop },
      data: {
        ...(withOrders ? { ordersSyncedAt: current.startedAt } : {}),
        ...(current.customersBulkOperationId ? { customersSyncedAt: current.startedAt } : {}),
      },
    }),
  ]);
  logger.info(
    { shop, runId, orders: finished.ordersIngested, customers: finished.customersIngested },
    "order sync completed",
  );
  return "completed";
}

/**
 * A split backfill's exports: polls the ones still going and ingests each file as soon as it is ready (customers
 * first), every range from its own resume point. A range whose ingest breaks does not hold up the others: they are
 * ingested, then the error is thrown (the job's retry resumes that range alone). "ingested": every file is in, the
 * run moves on to its aggregates.
 */
async function advanceRanges(deps: SyncDeps, runId: string): Promise<CheckOutcome | "ingested"> {
  const { db, admin } = deps;
  const shop = admin.shop;
  const where = { shop_id: { shop, id: runId } };
  const rangeKey = (index: number) => ({ shop_runId_index: { shop, runId, index } });
  for (;;) {
    const run = await db.syncRun.findUniqueOrThrow({ where });
    const ranges = await db.syncRange.findMany({ where: { shop, runId }, orderBy: { index: "asc" } });
    const customersExporting =
      run.customersBulkOperationId !== null && !run.customersDone && run.customersBulkStatus !== "COMPLETED";
    const exporting = [
      ...ranges
        .filter((r) => !r.done && r.bulkStatus !== "COMPLETED" && r.bulkOperationId !== null)
        .map((r) => ({ resource: "orders" as const, range: r.index as number | null, id: r.bulkOperationId ?? "" })),
      ...(customersExporting && run.customersBulkOperationId
        ? [{ resource: "customers" as const, range: null, id: run.customersBulkOperationId }]
        : []),
    ];
    for (const { resource, range, id } of exporting) {
      const op = await bulkOperationStatus(admin, id);
      const status = op?.status ?? "EXPIRED";
      if (status !== "COMPLETED" && status !== "CREATED" && status !== "RUNNING" && status !== "CANCELING") {
        const code = op?.errorCode ?? status;
        if (op?.partialDataUrl) {
          // Keep what Shopify did export, as a single export's failure does.
          await ingestFile(deps, runId, range, op.partialDataUrl);
          await db.syncRun.update({ where, data: { partial: true } });
        }
        await fail(db, shop, runId, code, failureMessage(resource, code));
        return "failed";
      }
      // An export of nothing has no file (url null): then there is nothing to ingest.
      const url = status === "COMPLETED" ? (op?.url ?? null) : null;
      if (range === null)
        await db.syncRun.update({ where, data: { customersBulkStatus: status, customersResultUrl: url } });
      else
        await db.syncRange.update({
          where: rangeKey(range),
          data: { bulkStatus: status, resultUrl: url, ...(status === "COMPLETED" && !url ? { done: true } : {}) },
        });
    }

    const after = await db.syncRun.findUniqueOrThrow({ where });
    const ready = await db.syncRange.findMany({
      where: { shop, runId, done: false, bulkStatus: "COMPLETED" },
      orderBy: { index: "asc" },
    });
    const customersReady =
      after.customersBulkOperationId !== null && !after.customersDone && after.customersBulkStatus === "COMPLETED";
    if (!customersReady && ready.length === 0) {
      await db.syncRun.update({ where, data: { heartbeatAt: new Date() } });
      const left = await db.syncRange.count({ where: { shop, runId, done: false } });
      if (left > 0 || (after.customersBulkOperationId !== null && !after.customersDone)) return "waiting";
      await db.syncRun.update({ where, data: { status: "aggregating", phase: "aggregating" } });
      return "ingested";
    }
    if (after.status !== "ingesting")
      await db.syncRun.update({
        where,
        data: { status: "ingesting", phase: "ingesting", ingestStartedAt: after.ingestStartedAt ?? new Date() },
      });
    if (customersReady) {
      if (after.customersResultUrl) await ingest(deps, runId, "customers", after.customersResultUrl);
      await db.syncRun.update({ where, data: { customersDone: true } });
    }
    const failures: unknown[] = [];
    for (const range of ready) {
      try {
        if (range.resultUrl) await ingestFile(deps, runId, range.index, range.resultUrl);
        await db.syncRange.update({ where: rangeKey(range.index), data: { done: true } });
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
    // Exports that finished meanwhile are taken in the same pass.
  }
}

/** One file of a split run: a range's orders (from its own resume point), or the customers file (range null). */
async function ingestFile(deps: SyncDeps, runId: string, range: number | null, url: string): Promise<void> {
  if (range === null) return ingest(deps, runId, "customers", url);
  const { db, pool, admin } = deps;
  const shop = admin.shop;
  const row = await db.syncRange.findUniqueOrThrow({ where: { shop_runId_index: { shop, runId, index: range } } });
  const response = await (deps.fetch ?? fetch)(url);
  if (!response.ok || !response.body) throw new Error(`Downloading the bulk result failed: HTTP ${response.status}`);
  await ingestOrdersJsonl({
    pool,
    shop,
    runId,
    range,
    source: response.body,
    skipLines: row.linesCommitted,
    ordersAlready: row.ordersIngested,
    ...(deps.ingestBatchLines ? { batchLines: deps.ingestBatchLines } : {}),
  });
}

async function ingest(deps: SyncDeps, runId: string, resource: Resource, url: string): Promise<void> {
  const { db, pool, admin } = deps;
  const shop = admin.shop;
  const run = await db.syncRun.findUniqueOrThrow({ where: { shop_id: { shop, id: runId } } });
  const response = await (deps.fetch ?? fetch)(url);
  if (!response.ok || !response.body) throw new Error(`Downloading the bulk result failed: HTTP ${response.status}`);
  const source = response.body;
  if (resource === "customers")
    await ingestCustomersJsonl({
      pool,
      shop,
      runId,
      source,
      skipLines: run.customersLinesCommitted,
      ordersAlready: run.customersIngested,
    });
  else
    await ingestOrdersJsonl({
      pool,
      shop,
      runId,
      source,
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
  /** A reconcile's lower bound: orders changed since then were asked for. */
  updatedSince: Date | null;
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
    updatedSince?: Date | null;
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
    updatedSince: run.updatedSince ?? null,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
  };
}
