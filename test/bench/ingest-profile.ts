// npm run bench:ingest-profile -- --orders 200000 [--database NAME]: where an ingest's time goes. Exports the
// generated shop's orders once to a local JSONL file (kept in the OS temp dir for the next run), then ingests it
// into a fresh clone of the bench:ingest template with every statement timed by its first words, and times the
// aggregates. Run under `node --cpu-prof` (NODE_OPTIONS) for the app side. Last line: RESULT key=value …
import { createReadStream, existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { startAdminEmulator } from "../emulator/server";
import { routeShopifyToEmulator } from "../emulator/shopify-origin-routing";
import { TEST_APP } from "../setup/test-app";
import { benchTemplate } from "./bench-database";
import { loadAverageLine, startCpuMeter } from "./measure";
import { createDb } from "../../app/platform/db.server";
import { ingestOrdersJsonl } from "../../app/pipeline/ingest/bulk-ingest.server";
import { recomputeShopAggregates } from "../../app/pipeline/aggregate/aggregates.server";

const { values } = parseArgs({
  options: {
    orders: { type: "string", default: "200000" },
    database: { type: "string", default: "rfm_bench" },
  },
});
const orders = Number(values.orders);
const SHOP = "bench-shop.myshopify.com";
const LIVE_SHOP = "bench-live.myshopify.com";
const say = (line: string) => process.stdout.write(`${line}\n`);

async function exportFile(file: string): Promise<void> {
  const emulator = await startAdminEmulator({
    app: TEST_APP,
    shops: [{ domain: SHOP, name: "Bench", plan: "plus", dataset: { customers: orders / 5, orders, seed: 1 } }],
  });
  routeShopifyToEmulator(emulator.url);
  const shop = emulator.shop(SHOP);
  shop.grantedScopes = TEST_APP.scopes.split(",");
  const token = shop.issueToken(TEST_APP.scopes, false).access_token;
  const { RUN_BULK_QUERY, BULK_OPERATION_STATUS } = await import("../../app/shopify/operations/bulk-operations");
  const { ordersBulkQuery } = await import("../../app/shopify/operations/orders");
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const r = await fetch(`https://${SHOP}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
      body: JSON.stringify({ query, variables }),
    });
    return (await r.json()) as {
      data: Record<string, { bulkOperation?: { id: string }; status?: string; url?: string }>;
    };
  };
  const id = (await gql(RUN_BULK_QUERY, { query: ordersBulkQuery(null) })).data.bulkOperationRunQuery?.bulkOperation
    ?.id;
  if (!id) throw new Error("bulk operation not started");
  for (;;) {
    const op = (await gql(BULK_OPERATION_STATUS, { id })).data.bulkOperation;
    if (op?.status === "COMPLETED" && op.url) {
      await writeFile(file, Buffer.from(await (await fetch(op.url)).arrayBuffer()));
      break;
    }
    if (op?.status !== "RUNNING" && op?.status !== "CREATED") throw new Error(`bulk operation ended ${op?.status}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  await emulator.close();
}

async function main() {
  const file = path.join(os.tmpdir(), `rfm-ingest-profile-${orders}.jsonl`);
  if (!existsSync(file)) await exportFile(file);
  const template = await benchTemplate(values.database, "empty+live-shop", async (url) => {
    const db = createDb(url, 1);
    await db.shop.create({ data: { shop: LIVE_SHOP, ianaTimezone: "Europe/Amsterdam" } });
    await db.$disconnect();
  });
  const url = await template.fresh();
  const db = createDb(url, 2);
  await db.shop.create({ data: { shop: SHOP, ianaTimezone: "Europe/Amsterdam" } });
  await db.syncRun.create({ data: { shop: SHOP, id: "bench", kind: "backfill", status: "ingesting" } });
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const spent = new Map<string, number>();
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const first = args[0];
      const text = typeof first === "string" ? first : String((first as { text?: string }).text ?? "COPY stream");
      const key = text.trim().replace(/\s+/g, " ").slice(0, 40);
      const t = performance.now();
      const result = query(...args);
      if (result instanceof Promise)
        void result.finally(() => spent.set(key, (spent.get(key) ?? 0) + performance.now() - t)).catch(() => undefined);
      return result;
    };
  });
  await Promise.all([pool.connect(), pool.connect()].map(async (c) => (await c).release()));
  const meter = await startCpuMeter(url);
  const t0 = performance.now();
  const result = await ingestOrdersJsonl({ pool, shop: SHOP, runId: "bench", source: createReadStream(file) });
  const ingestS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  await recomputeShopAggregates(db, SHOP);
  const aggregateS = (performance.now() - t1) / 1000;
  const cpu = await meter();
  for (const [key, ms] of [...spent].sort((a, b) => b[1] - a[1])) say(`  ${(ms / 1000).toFixed(2)} s  ${key}`);
  say(loadAverageLine());
  const perM = 1e6 / result.orders;
  say(
    `RESULT orders=${result.orders} ingest_s=${ingestS.toFixed(2)} aggregate_s=${aggregateS.toFixed(2)} app_cpu_s_per_m=${(cpu.app * perM).toFixed(1)} db_cpu_s_per_m=${(cpu.db * perM).toFixed(1)}`,
  );
  await pool.end();
  await db.$disconnect();
  await template.stop();
}

main().catch((error: unknown) => {
  process.stderr.write(`profile failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
