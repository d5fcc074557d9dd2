// npm run bench:ingest -- --orders 1000000 [--customers N]
// Generates a shop in the Admin API emulator, exports its orders through a
// real bulk operation (JSONL over HTTP), then measures, in a fresh process,
// the end-to-end ingest into PostgreSQL (download, parse, store, aggregates)
// and the parse-only rate of the same file. Last line: RESULT key=value …
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import path from "node:path";
import { startAdminEmulator } from "../emulator/server";
import { routeShopifyToEmulator } from "../emulator/shopify-origin-routing";
import { TEST_APP } from "../setup/test-app";
import { benchDatabase } from "./bench-database";
import { ROOT } from "../demo/stack";

const { values } = parseArgs({
  options: { orders: { type: "string", default: "1000000" }, customers: { type: "string" } },
});
const orders = Number(values.orders);
const customers = Number(values.customers ?? Math.round(orders / 5));
const SHOP = "bench-shop.myshopify.com";
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
  const db = await benchDatabase("rfm_bench");
  const emulator = await startAdminEmulator({
    app: TEST_APP,
    shops: [{ domain: SHOP, name: "Bench", plan: "plus", dataset: { customers, orders, seed: 1 } }],
  });
  routeShopifyToEmulator(emulator.url);
  const shop = emulator.shop(SHOP);
  shop.grantedScopes = TEST_APP.scopes.split(",");
  const token = shop.issueToken(TEST_APP.scopes, false).access_token;
  say(
    `shop: ${customers} customers, target ${orders} orders; database: ${process.env.DATABASE_URL ? "PostgreSQL server" : "embedded PGlite"}`,
  );

  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const r = await fetch(`https://${SHOP}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
      body: JSON.stringify({ query, variables }),
    });
    return (await r.json()) as {
      data: Record<
        string,
        {
          bulkOperation?: { id: string };
          status?: string;
          url?: string;
          rootObjectCount?: string;
          objectCount?: string;
        }
      >;
    };
  };
  const { RUN_BULK_QUERY, BULK_OPERATION_STATUS } = await import("../../app/shopify/operations/bulk-operations");
  const { ordersBulkQuery } = await import("../../app/shopify/operations/orders");
  const exportStart = Date.now();
  const started = await gql(RUN_BULK_QUERY, { query: ordersBulkQuery(null) });
  const id = started.data.bulkOperationRunQuery?.bulkOperation?.id;
  if (!id) throw new Error(`bulk operation not started: ${JSON.stringify(started)}`);
  let op: { status?: string; url?: string; rootObjectCount?: string; objectCount?: string } | undefined;
  for (;;) {
    op = (await gql(BULK_OPERATION_STATUS, { id })).data.bulkOperation;
    if (op?.status !== "RUNNING" && op?.status !== "CREATED") break;
    await new Promise((r) => setTimeout(r, 500));
  }
  if (op?.status !== "COMPLETED" || !op.url) throw new Error(`bulk operation ended ${op?.status}`);
  say(
    `export (emulator writing JSONL): ${op.rootObjectCount} orders, ${op.objectCount} lines in ${((Date.now() - exportStart) / 1000).toFixed(1)} s`,
  );

  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "test/bench/ingest-worker.ts")], {
    env: { ...process.env, BENCH_DATABASE_URL: db.url, BENCH_URL: op.url, BENCH_SHOP: SHOP },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (c: Buffer) => {
    out += c.toString();
    process.stdout.write(c);
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  // The emulated-rate export comparison (test/bench/export-split.ts states the rate model).
  const { exportSplitComparison } = await import("./export-split");
  const split = code === 0 ? await exportSplitComparison({ emulator, databaseUrl: db.url }) : null;
  await emulator.close();
  await db.stop();
  if (code !== 0) throw new Error(`ingest worker exited with ${code}`);
  const result = [...out.matchAll(/^RESULT .*$/gm)].at(-1)?.[0];
  if (!result) throw new Error("ingest worker printed no RESULT");
  say(
    `${result} ${Object.entries(split ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(" ")}`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
