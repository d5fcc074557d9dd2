// The emulated-rate export comparison of bench:ingest: the same first backfill as one bulk operation and split
// into processed_at ranges (four beside the customers export), end to end (export, download, ingest, aggregates).
//
// Shopify publishes no export rate, so the emulator models one: each bulk query writes `rootsPerSecond` root
// objects (orders, customers) a second, whatever else runs beside it. split_wall_s / single_wall_s are that model's
// result, not a Shopify measurement: with it, a split export takes a quarter of the time, and what remains is the
// ingest (which now overlaps the exports still running) and the counting requests.
import pg from "pg";
import { createDb } from "../../app/platform/db.server";
import { logger } from "../../app/platform/logger.server";
import { createAdminClient } from "../../app/shopify/admin-client.server";
import { advanceSync, startSync, type SyncDeps } from "../../app/pipeline/ingest/bulk-sync.server";
import type { AdminEmulator } from "../emulator/server";
import { TEST_APP } from "../setup/test-app";

export interface ExportSplitOptions {
  /** The emulator the bench already runs (its shops stay; two more are added). */
  emulator: AdminEmulator;
  /** A migrated database (the shops' rows go in under their own keys). */
  databaseUrl: string;
  orders?: number;
  /** The rate model: root objects per second per bulk query. */
  rootsPerSecond?: number;
}

export interface ExportSplitResult {
  split_wall_s: number;
  single_wall_s: number;
  split_ranges: number;
  export_rate_per_op: number;
  split_orders: number;
}

async function backfill(
  options: Required<ExportSplitOptions>,
  domain: string,
  splitMinOrders: number,
): Promise<{ seconds: number; ranges: number }> {
  const shop = options.emulator.addShop({
    domain,
    name: domain,
    plan: "plus",
    dataset: { customers: Math.round(options.orders / 5), orders: options.orders, seed: 7 },
  });
  shop.grantedScopes = TEST_APP.scopes.split(",");
  shop.bulkExportRootsPerSecond = options.rootsPerSecond;
  const db = createDb(options.databaseUrl, 2);
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
  try {
    await db.shop.create({ data: { shop: domain, ianaTimezone: "Europe/Amsterdam" } });
    const admin = createAdminClient({
      shop: domain,
      accessToken: shop.issueToken(TEST_APP.scopes, false).access_token,
      logger,
    });
    const deps: SyncDeps = { db, pool, admin, logger, scopes: TEST_APP.scopes.split(","), splitMinOrders };
    const started = performance.now();
    const run = await startSync(deps, "backfill");
    for (;;) {
      const outcome = await advanceSync(deps, run.id);
      if (outcome === "completed") break;
      if (outcome === "failed") throw new Error(`${domain}: the backfill failed`);
      // The worker polls every five seconds, woken early by bulk_operations/finish: here a short poll stands in.
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    const done = await db.syncRun.findUniqueOrThrow({ where: { shop_id: { shop: domain, id: run.id } } });
    if (done.ordersIngested !== done.ordersExpected)
      throw new Error(`${domain}: ${done.ordersIngested} of ${done.ordersExpected} orders ingested`);
    return { seconds, ranges: done.orderRanges };
  } finally {
    await pool.end();
    await db.$disconnect();
  }
}

/** Runs the single-operation backfill, then the split one, each a first backfill of its own identical shop. */
export async function exportSplitComparison(options: ExportSplitOptions): Promise<ExportSplitResult> {
  const full = { orders: 40_000, rootsPerSecond: 5_000, ...options };
  const single = await backfill(full, "export-single.myshopify.com", Number.POSITIVE_INFINITY);
  const split = await backfill(full, "export-split.myshopify.com", 1);
  return {
    split_wall_s: Number(split.seconds.toFixed(2)),
    single_wall_s: Number(single.seconds.toFixed(2)),
    split_ranges: split.ranges,
    export_rate_per_op: full.rootsPerSecond,
    split_orders: full.orders,
  };
}
