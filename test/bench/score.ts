// npm run bench:score -- --customers 1000000 [--orders-per-customer 2.2]
// Generates a shop in PostgreSQL (orders written by SQL, aggregates by the
// app's own recompute), then times the app's full scoring run end to end
// (ranking, cut-offs, behaviours, scores and history written) — first run
// and the next day's run — against a single plain SQL ranking query on the
// same aggregates (the floor). Last line: RESULT key=value …
import { parseArgs } from "node:util";
import { createDb } from "../../app/platform/db.server";
import { recomputeShopAggregates } from "../../app/pipeline/aggregate/aggregates.server";
import { runFullScoring } from "../../app/pipeline/score/scoring.server";
import { benchDatabase } from "./bench-database";

const { values } = parseArgs({
  options: {
    customers: { type: "string", default: "1000000" },
    "orders-per-customer": { type: "string", default: "2.2" },
  },
});
const customers = Number(values.customers);
const extraOrders = Math.round(customers * (Number(values["orders-per-customer"]) - 1));
const SHOP = "bench-score.myshopify.com";
const say = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (since: number) => (Date.now() - since) / 1000;

async function main() {
  const database = await benchDatabase("rfm_bench_score");
  const db = createDb(database.url, 4);
  say(
    `database: ${process.env.DATABASE_URL ? "PostgreSQL server" : "embedded PGlite"}; ${customers} customers, ${customers + extraOrders} orders`,
  );
  let t = Date.now();
  await db.shop.create({ data: { shop: SHOP, ianaTimezone: "Europe/Amsterdam" } });
  // One order per customer, then a heavy tail of repeat orders (most customers order once).
  await db.$executeRawUnsafe(
    `INSERT INTO "Order" (shop, id, "customerId", "createdAt", "processedAt", "shopifyUpdatedAt", currency, "totalPrice", "currentTotalPrice", "totalRefunded", "discountCodes")
     SELECT $1, g, CASE WHEN g <= $2::bigint THEN g ELSE 1 + floor(random() ^ 3 * $2::bigint)::bigint END, t, t, t, 'EUR', a, a, 0,
            CASE WHEN random() < 0.08 THEN ARRAY['SALE' || (g % 40)] ELSE '{}'::text[] END
     FROM (SELECT g, now() - random() * interval '1100 days' AS t, round((5 + random() ^ 3 * 400)::numeric, 2) AS a
           FROM generate_series(1, $2::bigint + $3::bigint) g) x`,
    SHOP,
    customers,
    extraOrders,
  );
  say(`generate orders: ${seconds(t).toFixed(1)} s`);
  t = Date.now();
  await recomputeShopAggregates(db, SHOP);
  await db.$executeRawUnsafe(`ANALYZE`);
  say(`aggregates (app recompute): ${seconds(t).toFixed(1)} s`);

  t = Date.now();
  const first = await runFullScoring(db, SHOP);
  const firstSeconds = seconds(t);
  say(
    `full run, first: ${first.customers} customers scored, ${first.written} scores written in ${firstSeconds.toFixed(2)} s`,
  );

  const tomorrow = new Date(Date.now() + 86_400_000);
  t = Date.now();
  const next = await runFullScoring(db, SHOP, { now: tomorrow });
  const nextSeconds = seconds(t);
  say(
    `full run, next day: ${next.written} scores changed, ${next.changedSegment} segment moves in ${nextSeconds.toFixed(2)} s`,
  );

  // The floor: the same three rank-based scores by one plain query, nothing written.
  // The floor gets the same sort memory as the app's run.
  t = Date.now();
  await db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL work_mem = '256MB'`);
      await tx.$queryRawUnsafe(
        `SELECT sum(r), sum(f), sum(m) FROM (
         SELECT 1 + 5 * (rank() OVER (ORDER BY "lastOrderAt") - 1) / count(*) OVER () AS r,
                1 + 5 * (rank() OVER (ORDER BY "orderCount") - 1) / count(*) OVER () AS f,
                1 + 5 * (rank() OVER (ORDER BY "netSpend") - 1) / count(*) OVER () AS m
         FROM "CustomerAggregate" WHERE shop = $1) x`,
        SHOP,
      );
    },
    { timeout: 600_000 },
  );
  const floor = seconds(t);
  say(`plain SQL ranking (floor): ${floor.toFixed(2)} s`);
  await db.$disconnect();
  await database.stop();
  say(
    `RESULT customers=${first.customers} seconds=${firstSeconds.toFixed(2)} next_day_seconds=${nextSeconds.toFixed(2)} sql_floor_seconds=${floor.toFixed(2)} ratio=${(firstSeconds / floor).toFixed(2)}`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
