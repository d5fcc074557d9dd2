// One measured repetition of bench:ingest, in its own process so peak RSS is the ingest's alone. Prints
// `MEASURING` when the measured phase starts (the parent starts the second shop's live webhooks then) and
// `FIGURES {json}` at its end.
import pg from "pg";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { ingestOrdersJsonl } from "../../app/pipeline/ingest/bulk-ingest.server";
import { jsonlLines } from "../../app/pipeline/ingest/jsonl";
import { createDb } from "../../app/platform/db.server";
import { recomputeShopAggregates } from "../../app/pipeline/aggregate/aggregates.server";
import { startCpuMeter } from "./measure";

const url = process.env.BENCH_DATABASE_URL as string;
const file = process.env.BENCH_URL as string;
const shop = process.env.BENCH_SHOP as string;
/** The live shop's connections: their CPU is not the ingest's. */
const liveApplication = process.env.BENCH_LIVE_APPLICATION as string;
const say = (line: string) => process.stdout.write(`${line}\n`);

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);

async function main() {
  // Parse-only floor: download + split + JSON.parse, no database.
  const t0 = performance.now();
  let parsedLines = 0;
  const response = await fetch(file);
  for await (const line of jsonlLines(Readable.fromWeb(response.body as WebReadableStream))) {
    JSON.parse(line);
    parsedLines++;
  }
  const parseSeconds = (performance.now() - t0) / 1000;

  const db = createDb(url, 4);
  // Precondition: a first backfill really starts empty.
  const before = await db.order.count({ where: { shop } });
  if (before !== 0) throw new Error(`the bench shop already has ${before} orders`);
  await db.shop.create({ data: { shop, ianaTimezone: "Europe/Amsterdam" } });
  await db.syncRun.create({ data: { shop, id: "bench", kind: "backfill", status: "ingesting" } });
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // Every connection open before the meter starts, so all their backends are counted.
  await Promise.all([pool.connect(), pool.connect()].map(async (c) => (await c).release()));
  await db.$queryRawUnsafe("SELECT 1");
  peak = process.memoryUsage().rss;

  say("MEASURING");
  const stopMeter = await startCpuMeter(url, () => [], liveApplication);
  const t1 = performance.now();
  const download = await fetch(file);
  const result = await ingestOrdersJsonl({
    pool,
    shop,
    runId: "bench",
    source: Readable.fromWeb(download.body as WebReadableStream),
  });
  const ingestSeconds = (performance.now() - t1) / 1000;
  const t2 = performance.now();
  await recomputeShopAggregates(db, shop);
  const aggregateSeconds = (performance.now() - t2) / 1000;
  const cpu = await stopMeter();
  const total = ingestSeconds + aggregateSeconds;
  clearInterval(sampler);

  const [counts] = await db.$queryRawUnsafe<{ orders: bigint; aggregates: bigint }[]>(
    `SELECT (SELECT count(*) FROM "Order" WHERE shop = $1) AS orders, (SELECT count(*) FROM "CustomerAggregate" WHERE shop = $1) AS aggregates`,
    shop,
  );
  if (Number(counts?.orders) !== result.orders)
    throw new Error(`stored ${counts?.orders} orders, ingested ${result.orders}`);
  const parsePerSecond = (result.orders * parsedLines) / result.lines / parseSeconds;
  say(
    `stored ${counts?.orders} orders, ${counts?.aggregates} customer aggregates (${result.lines} JSONL lines): ingest ${ingestSeconds.toFixed(1)} s + aggregates ${aggregateSeconds.toFixed(1)} s = ${total.toFixed(1)} s; parse only ${parseSeconds.toFixed(1)} s`,
  );
  const perM = 1e6 / result.orders;
  say(
    `FIGURES ${JSON.stringify({
      orders: result.orders,
      orders_per_s: result.orders / total,
      parse_only_per_s: parsePerSecond,
      ratio: parsePerSecond / (result.orders / total),
      ingest_s: ingestSeconds,
      aggregate_s: aggregateSeconds,
      peak_rss_mb: peak / 1e6,
      app_cpu_s_per_m: cpu.app * perM,
      db_cpu_s_per_m: cpu.db * perM,
    })}`,
  );
  await pool.end();
  await db.$disconnect();
}

main().catch((error: unknown) => {
  process.stderr.write(`ingest worker failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
