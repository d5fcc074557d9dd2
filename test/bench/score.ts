// npm run bench:score -- --customers 1000000 [--orders-per-customer 2.2] [--database NAME]
// Seeds a shop once into a template database (orders written by SQL, aggregates by the app's own recompute),
// then, three times on a fresh clone, times the app's full scoring run end to end (ranking, cut-offs,
// behaviours, scores, history and dashboard summary written) — the shop's first run (asserted to start with no
// scores) and the next day's run (asserted to start from the first run's scores) — and, on the same clone in the
// same repetition, a single plain SQL ranking query on the same aggregates (the floor). Medians reported, with CPU
// seconds (this process + the PostgreSQL backends) per 1 M customers. Last line: RESULT key=value …
import { parseArgs } from "node:util";
import { createDb, type Db } from "../../app/platform/db.server";
import { recomputeShopAggregates } from "../../app/pipeline/aggregate/aggregates.server";
import { runFullScoring } from "../../app/pipeline/score/scoring.server";
import { benchTemplate } from "./bench-database";
import { loadAverageLine, medianOf, startCpuMeter } from "./measure";

const { values } = parseArgs({
  options: {
    customers: { type: "string", default: "1000000" },
    "orders-per-customer": { type: "string", default: "2.2" },
    database: { type: "string", default: "rfm_bench_score" },
  },
});
const customers = Number(values.customers);
const extraOrders = Math.round(customers * (Number(values["orders-per-customer"]) - 1));
const SHOP = "bench-score.myshopify.com";
const say = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (since: number) => (Date.now() - since) / 1000;
const perMillion = (cpu: number) => (cpu * 1_000_000) / customers;

async function seed(url: string) {
  const db = createDb(url, 1);
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
  say(`seed: orders ${seconds(t).toFixed(1)} s`);
  t = Date.now();
  await recomputeShopAggregates(db, SHOP);
  await db.$executeRawUnsafe(`VACUUM ANALYZE`);
  say(`seed: aggregates (app recompute) ${seconds(t).toFixed(1)} s`);
  await db.$disconnect();
}

async function scoreCount(db: Db): Promise<number> {
  return db.customerScore.count({ where: { shop: SHOP } });
}

/** One measured phase: wall seconds and CPU seconds (app, PostgreSQL backends). */
async function measured(url: string, phase: () => Promise<unknown>) {
  const meter = await startCpuMeter(url);
  const t = Date.now();
  await phase();
  const wall = seconds(t);
  const cpu = await meter();
  return { wall, cpu };
}

async function main() {
  say(
    `database: ${process.env.DATABASE_URL ? "PostgreSQL server" : "embedded PGlite"}; ${customers} customers, ${customers + extraOrders} orders`,
  );
  const template = await benchTemplate(values.database, `score customers=${customers} extra=${extraOrders}`, seed);
  const { median } = await medianOf(
    3,
    async () => {
      const url = await template.fresh();
      const db = createDb(url, 4);
      const before = await scoreCount(db);
      if (before !== 0) throw new Error(`a first run must start with no scores, found ${before}`);
      let outcome = { customers: 0, written: 0 };
      const first = await measured(url, async () => {
        outcome = await runFullScoring(db, SHOP);
      });
      if (outcome.customers !== customers || (await scoreCount(db)) !== customers)
        throw new Error(`first run scored ${outcome.customers} of ${customers}`);
      const tomorrow = new Date(Date.now() + 86_400_000);
      let moved = 0;
      const next = await measured(url, async () => {
        moved = (await runFullScoring(db, SHOP, { now: tomorrow })).written;
      });
      say(`  next day: ${moved} scores rewritten`);
      // The floor: the same three rank-based scores by one plain query, nothing written, same sort memory.
      const floor = await measured(url, () =>
        db.$transaction(
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
        ),
      );
      await db.$disconnect();
      return {
        seconds: first.wall,
        next_day_seconds: next.wall,
        sql_floor_seconds: floor.wall,
        ratio: first.wall / floor.wall,
        app_cpu_s_per_m: perMillion(first.cpu.app),
        db_cpu_s_per_m: perMillion(first.cpu.db),
        next_day_app_cpu_s_per_m: perMillion(next.cpu.app),
        next_day_db_cpu_s_per_m: perMillion(next.cpu.db),
        floor_db_cpu_s_per_m: perMillion(floor.cpu.db),
      };
    },
    say,
  );
  await template.stop();
  say(loadAverageLine());
  say(
    `RESULT customers=${customers} ${Object.entries(median)
      .map(([k, v]) => `${k}=${v.toFixed(2)}`)
      .join(" ")}`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
