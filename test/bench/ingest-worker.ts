// The measured half of bench:ingest, in its own process so peak RSS is the ingest's alone.
import pg from "pg";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { ingestOrdersJsonl } from "../../app/pipeline/ingest/bulk-ingest.server";
import { jsonlLines } from "../../app/pipeline/ingest/jsonl";
import { createDb } from "../../app/platform/db.server";
import { recomputeShopAggregates } from "../../app/pipeline/aggregate/aggregates.server";

const url = process.env.BENCH_DATABASE_URL as string;
const file = process.env.BENCH_URL as string;
const shop = process.env.BENCH_SHOP as string;
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
  await db.shop.create({ data: { shop, ianaTimezone: "Europe/Amsterdam" } });
  await db.syncRun.create({ data: { shop, id: "bench", kind: "backfill", status: "ingesting" } });
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  peak = process.memoryUsage().rss;

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
  const total = ingestSeconds + aggregateSeconds;

  const [counts] = await db.$queryRawUnsafe<{ orders: bigint; aggregates: bigint }[]>(
    `SELECT (SELECT count(*) FROM "Order" WHERE shop = $1) AS orders, (SELECT count(*) FROM "CustomerAggregate" WHERE shop = $1) AS aggregates`,
    shop,
  );
  clearInterval(sampler);
  const ordersPerSecond = result.orders / total;
  const parsePerSecond = (result.orders * parsedLines) / result.lines / parseSeconds;
  say(`stored: ${counts?.orders} orders, ${counts?.aggregates} customer aggregates (${result.lines} JSONL lines)`);
  say(
    `ingest ${ingestSeconds.toFixed(1)} s + aggregates ${aggregateSeconds.toFixed(1)} s = ${total.toFixed(1)} s end to end`,
  );
  say(`parse only: ${parseSeconds.toFixed(1)} s`);
  say(
    `RESULT orders=${result.orders} orders_per_s=${Math.round(ordersPerSecond)} parse_only_per_s=${Math.round(parsePerSecond)} ratio=${(parsePerSecond / ordersPerSecond).toFixed(2)} peak_rss_mb=${Math.round(peak / 1e6)}`,
  );
  await pool.end();
  await db.$disconnect();
}

main().catch((error: unknown) => {
  process.stderr.write(`ingest worker failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
