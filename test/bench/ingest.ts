// npm run bench:ingest -- --orders 1000000 [--customers N] [--database NAME] [--live-rate EVENTS_PER_S]
//   [--split-orders N] [--export-rate ROOTS_PER_S]  (the emulated-rate export comparison: shop size, rate per operation)
// Generates a shop in the Admin API emulator, exports its orders through a
// real bulk operation (JSONL over HTTP), then measures, in a fresh process,
// the end-to-end ingest into PostgreSQL (download, parse, store, aggregates)
// and the parse-only rate of the same file — three times, each on a fresh clone of an empty migrated template,
// medians reported — while a second shop takes live webhooks (its inbox filled at a steady rate and drained by
// the inbox applier, in this process, into the same tables). Last line: RESULT key=value …
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import path from "node:path";
import { startAdminEmulator } from "../emulator/server";
import { routeShopifyToEmulator } from "../emulator/shopify-origin-routing";
import { TEST_APP } from "../setup/test-app";
import { benchTemplate } from "./bench-database";
import { loadAverageLine, medianOf } from "./measure";
import { prefillInbox, realisticEvents } from "./inbox-apply";
import { createDb } from "../../app/platform/db.server";
import { drainInbox } from "../../app/pipeline/ingest/inbox/inbox-applier.server";
import { ROOT } from "../demo/stack";

const { values } = parseArgs({
  options: {
    orders: { type: "string", default: "1000000" },
    customers: { type: "string" },
    database: { type: "string", default: "rfm_bench" },
    "live-rate": { type: "string", default: "250" },
    "split-orders": { type: "string", default: "40000" },
    "export-rate": { type: "string", default: "5000" },
  },
});
const orders = Number(values.orders);
const customers = Number(values.customers ?? Math.round(orders / 5));
const liveRate = Number(values["live-rate"]);
const SHOP = "bench-shop.myshopify.com";
const LIVE_SHOP = "bench-live.myshopify.com";
const LIVE_APPLICATION = "rfm_bench_live";
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
  const template = await benchTemplate(values.database, "empty+live-shop", async (url) => {
    const db = createDb(url, 1);
    await db.shop.create({ data: { shop: LIVE_SHOP, ianaTimezone: "Europe/Amsterdam" } });
    await db.$disconnect();
  });
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

  // Enough events for the longest phase at the given rate (a slow run may run out: then it is reported).
  const liveEvents = realisticEvents(Math.max(1000, Math.round((orders / 2000) * liveRate)), 3);
  const { median, runs } = await medianOf(
    3,
    async (repetition) => {
      const url = await template.fresh();
      const measured = await runWorker(url, op.url as string, (measuring) =>
        startLiveShop(url, repetition, liveEvents, measuring),
      );
      return measured;
    },
    say,
  );
  // The emulated-rate export comparison (test/bench/export-split.ts states the rate model), on a fresh clone.
  const { exportSplitComparison } = await import("./export-split");
  const split = await exportSplitComparison({
    emulator,
    databaseUrl: await template.fresh(),
    orders: Number(values["split-orders"]),
    rootsPerSecond: Number(values["export-rate"]),
  });
  await emulator.close();
  await template.stop();
  say(loadAverageLine());
  const peakRss = Math.max(...runs.map((r) => r.peak_rss_mb));
  say(
    `RESULT orders=${median.orders} orders_per_s=${Math.round(median.orders_per_s)} parse_only_per_s=${Math.round(median.parse_only_per_s)} ratio=${median.ratio.toFixed(2)} peak_rss_mb=${Math.round(peakRss)} app_cpu_s_per_m=${median.app_cpu_s_per_m.toFixed(1)} db_cpu_s_per_m=${median.db_cpu_s_per_m.toFixed(1)} live_events_per_s=${Math.round(median.live_events_per_s)} live_lag_s=${median.live_lag_s.toFixed(1)} ${Object.entries(
      split,
    )
      .map(([k, v]) => `${k}=${v}`)
      .join(" ")}`,
  );
}

type Figures = Record<
  | "orders"
  | "orders_per_s"
  | "parse_only_per_s"
  | "ratio"
  | "ingest_s"
  | "aggregate_s"
  | "peak_rss_mb"
  | "app_cpu_s_per_m"
  | "db_cpu_s_per_m",
  number
>;

/** One repetition in a fresh worker process; the live shop runs from its MEASURING line to its FIGURES line. */
async function runWorker(
  url: string,
  file: string,
  live: (measuring: Promise<void>) => Promise<{ live_events_per_s: number; live_lag_s: number }>,
): Promise<Figures & { live_events_per_s: number; live_lag_s: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "test/bench/ingest-worker.ts")], {
    env: {
      ...process.env,
      BENCH_DATABASE_URL: url,
      BENCH_URL: file,
      BENCH_SHOP: SHOP,
      BENCH_LIVE_APPLICATION: LIVE_APPLICATION,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  let started: () => void = () => {};
  let ended: () => void = () => {};
  const measuring = new Promise<void>((resolve) => (ended = resolve));
  const running = new Promise<void>((resolve) => (started = resolve));
  child.stdout.on("data", (c: Buffer) => {
    out += c.toString();
    if (out.includes("MEASURING\n")) started();
    if (out.includes("FIGURES ")) ended();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const liveResult = (async () => {
    await Promise.race([running, exited]);
    return live(Promise.race([measuring, exited.then(() => undefined)]));
  })();
  const code = await exited;
  const liveFigures = await liveResult;
  for (const line of out.split("\n"))
    if (line && line !== "MEASURING" && !line.startsWith("FIGURES ")) say(`  ${line}`);
  if (code !== 0) throw new Error(`ingest worker exited with ${code}`);
  const figures = /^FIGURES (.*)$/m.exec(out)?.[1];
  if (!figures) throw new Error("ingest worker printed no FIGURES");
  return { ...(JSON.parse(figures) as Figures), ...liveFigures };
}

/**
 * The second shop during the measured phase: every 100 ms a tenth of `liveRate` events land in its inbox and the
 * inbox applier drains them (small batches, as the worker does), writing into the same Order/OrderLine/Refund
 * tables. Reports the applied rate and how far behind the applier was when the phase ended.
 */
async function startLiveShop(
  url: string,
  repetition: number,
  liveEvents: ReturnType<typeof realisticEvents>,
  measuring: Promise<void>,
): Promise<{ live_events_per_s: number; live_lag_s: number }> {
  const liveUrl = new URL(url);
  liveUrl.searchParams.set("application_name", LIVE_APPLICATION);
  const db = createDb(liveUrl.toString(), 2);
  let done = false;
  void measuring.then(() => (done = true));
  const started = performance.now();
  let sent = 0;
  let applied = 0;
  const perTick = Math.max(1, Math.round(liveRate / 10));
  const writer = (async () => {
    for (let tick = 1; !done && sent < liveEvents.length; tick++) {
      const chunk = liveEvents.slice(sent, sent + perTick);
      await prefillInbox(liveUrl.toString(), LIVE_SHOP, chunk, `live-${repetition}-${sent}`);
      sent += chunk.length;
      const wait = started + tick * 100 - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  })();
  const applier = (async () => {
    while (!done) {
      applied += (await drainInbox(db, { batchSize: 100 })).events;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  await Promise.all([writer, applier]);
  const seconds = (performance.now() - started) / 1000;
  // What was still waiting when the ingest ended, in seconds of arrivals.
  const lag = (sent - applied) / liveRate;
  applied += (await drainInbox(db, { batchSize: 500 })).events;
  const left = await db.webhookInbox.count({ where: { shop: LIVE_SHOP, appliedAt: null } });
  await db.$disconnect();
  if (left > 0 || applied !== sent) throw new Error(`live shop: ${sent} sent, ${applied} applied, ${left} left`);
  if (sent >= liveEvents.length) say(`  live shop ran out of prepared events (${sent})`);
  return { live_events_per_s: sent / seconds, live_lag_s: lag };
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
