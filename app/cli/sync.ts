// npm run sync -- --shop <shop>.myshopify.com [--kind backfill|reconcile|customers]
// For operators: runs an order sync for one shop in this process, with a
// progress bar, against the app's database (DATABASE_URL) and the shop's
// stored offline session.
import { parseArgs } from "node:util";
import { db } from "../platform/db.server";
import { env } from "../platform/env.server";
import { logger } from "../platform/logger.server";
import { pgPool } from "../platform/db/pg-pool.server";
import { offlineAdmin } from "../shopify/admin-clients.server";
import { advanceSync, progressOf, startSync, type SyncKind } from "../pipeline/ingest/bulk-sync.server";
import { progressLine } from "./progress";

const { values } = parseArgs({
  options: { shop: { type: "string" }, kind: { type: "string", default: "backfill" } },
});

async function main() {
  if (!values.shop || !/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(values.shop)) {
    throw new Error("Usage: npm run sync -- --shop <shop>.myshopify.com [--kind backfill|reconcile|customers]");
  }
  if (values.kind !== "backfill" && values.kind !== "reconcile" && values.kind !== "customers")
    throw new Error("--kind must be backfill, reconcile or customers");
  if (!process.env.DATABASE_URL) throw new Error("DATABASE_URL must point at the app's database");
  env();
  const shop = values.shop;
  const { admin, scopes } = await offlineAdmin(shop, logger);
  const deps = { db: db(), pool: pgPool(), admin, scopes, logger };
  const run = await startSync(deps, values.kind as SyncKind);
  const tty = process.stdout.isTTY;
  const show = async () => {
    const current = await db().syncRun.findUniqueOrThrow({ where: { shop_id: { shop, id: run.id } } });
    const line = progressLine(progressOf(current));
    process.stdout.write(tty ? `\r${line}\u001b[K` : `${line}\n`);
    return current;
  };
  const ticker = setInterval(() => void show().catch(() => undefined), tty ? 500 : 5_000);
  // The app's worker may be advancing the same run (woken by bulk_operations/finish): then we just watch.
  let outcome = await advanceSync(deps, run.id);
  while (outcome === "waiting") {
    await new Promise((r) => setTimeout(r, 1_000));
    outcome = await advanceSync(deps, run.id);
  }
  clearInterval(ticker);
  const final = await show();
  process.stdout.write("\n");
  if (final.message) process.stdout.write(`${final.message}\n`);
  await pgPool().end();
  await db().$disconnect();
  process.exit(outcome === "completed" ? 0 : 1);
}

main().catch((error: unknown) => {
  process.stderr.write(`sync failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
