// npm run bench:prediction-bands -- --customers 200000 [--database NAME]
// applyPredictions (bands and prediction behaviours on CustomerScore after a prediction run) on a shop of N scored
// customers with predictions, seeded set-wise in SQL: a first apply (every customer changes), a second one with
// every prediction drifted inside its band (nothing changes, nothing is marked), and one with 1 % of customers
// moved to another P(alive) band. Wall and CPU seconds per phase; last line RESULT key=value …
import { parseArgs } from "node:util";
import { createDb } from "../../app/platform/db.server";
import { applyPredictions } from "../../app/pipeline/score/apply-predictions.server";
import { benchDatabase } from "./bench-database";
import { loadAverageLine, startCpuMeter } from "./measure";

const { values } = parseArgs({
  options: {
    customers: { type: "string", default: "200000" },
    database: { type: "string", default: "rfm_bench_prediction_bands" },
  },
});
const n = Number(values.customers);
const SHOP = "bench-prediction-bands.myshopify.com";

const database = await benchDatabase(values.database);
const db = createDb(database.url, 2);
process.stderr.write(`${loadAverageLine()} before seeding\n`);
await db.shop.create({ data: { shop: SHOP } });
await db.scoringRun.create({
  data: {
    shop: SHOP,
    kind: "full",
    asOf: new Date("2026-11-20T00:00:00Z"),
    scale: 5,
    settings: {},
    customers: n,
    cutoffs: {},
    stats: { highValueMinSpend: "400.0000" },
    finishedAt: new Date(),
  },
});
const segments = `(ARRAY['champions','loyal','promising','at_risk','lost'])[1 + i % 5]`;
await db.$executeRawUnsafe(
  `INSERT INTO "CustomerScore" (shop, "customerId", "lastOrderDate", frequency, monetary, r, f, m, segment, "segmentSince",
     behaviours, "behaviourSince", "scoredRunId")
   SELECT $1, i, date '2026-10-01', 1 + i % 7, (i % 997)::numeric, 1 + i % 5, 1 + i % 4, 1 + i % 3, ${segments},
     date '2026-10-01', CASE WHEN i % 3 = 0 THEN ARRAY['coupon_shopper'] ELSE '{}' END,
     CASE WHEN i % 3 = 0 THEN ARRAY[date '2026-10-01'] ELSE '{}' END, 1
   FROM generate_series(1, $2::int) i`,
  SHOP,
  n,
);
await db.$executeRawUnsafe(
  `INSERT INTO "CustomerAggregate" (shop, "customerId", "firstOrderAt", "lastOrderAt", "orderCount", "grossSpend",
     "netSpend", "avgOrderValue", "refundCount", "refundAmount", "discountOrderCount", "firstOrderDiscounted",
     "orders365", "gross365", "net365", "windowEnd")
   SELECT $1, i, now(), now(), 1, (i % 997), (i % 997), (i % 997), 0, 0, 0, false, 1, (i % 997), (i % 997), now()
   FROM generate_series(1, $2::int) i`,
  SHOP,
  n,
);
// Reproducible values from the id: P(alive) and expected orders at their bands' middles, values spread out.
await db.$executeRawUnsafe(
  `INSERT INTO "CustomerPrediction" (shop, "customerId", "runId", "pAlive", "expectedOrders90", "expectedOrders365",
     "pOrder30", "pNoOrder90", "expectedAverageValue", "predictedValue12m")
   SELECT $1, i, 1, floor(((i * 7919) % 1000) / 100.0) * 0.1 + 0.05, 0.3, (ARRAY[0.25, 0.75, 1.5, 3.5, 7])[1 + i % 5],
     ((i * 31) % 100) / 100.0, 0.5, 50, ((i * 2654435761) % 100000) / 100.0
   FROM generate_series(1, $2::int) i`,
  SHOP,
  n,
);
await db.$executeRawUnsafe(`ANALYZE`);

const phase = async (name: string, change: () => Promise<unknown>) => {
  await change();
  const cpu = await startCpuMeter(process.env.DATABASE_URL ? database.url : null);
  const start = performance.now();
  const outcome = await applyPredictions(db, SHOP);
  const seconds = (performance.now() - start) / 1000;
  const used = await cpu();
  const marked = await db.writeBackPending.count({ where: { shop: SHOP } });
  await db.writeBackPending.deleteMany({ where: { shop: SHOP } });
  process.stderr.write(
    `${name}: changed ${outcome.changed} of ${outcome.customers}, marked ${marked}, ${seconds.toFixed(2)} s (app CPU ${used.app.toFixed(2)} s, db CPU ${used.db.toFixed(2)} s), ${loadAverageLine()}\n`,
  );
  return { seconds, changed: outcome.changed, marked, cpu: used.app + used.db };
};

const first = await phase("first", async () => {});
// Inside every band: P(alive) and expected orders nudged toward their band's middle, values scaled alike.
const drift = await phase("drift", () =>
  db.$executeRawUnsafe(
    `UPDATE "CustomerPrediction" SET "pAlive" = "pAlive" + 0.001, "expectedOrders365" = "expectedOrders365" * 1.001,
       "predictedValue12m" = "predictedValue12m" * 1.01 WHERE shop = $1`,
    SHOP,
  ),
);
const moved = await phase("one percent moved", () =>
  db.$executeRawUnsafe(
    `UPDATE "CustomerPrediction" SET "pAlive" = CASE WHEN "pAlive" < 0.5 THEN 0.95 ELSE 0.05 END
     WHERE shop = $1 AND "customerId" % 100 = 0`,
    SHOP,
  ),
);
await db.$disconnect();
await database.stop();
process.stdout.write(
  `RESULT customers=${n} first_seconds=${first.seconds.toFixed(2)} first_changed=${first.changed} first_cpu_seconds=${first.cpu.toFixed(2)} drift_seconds=${drift.seconds.toFixed(2)} drift_changed=${drift.changed} drift_marked=${drift.marked} drift_cpu_seconds=${drift.cpu.toFixed(2)} moved_seconds=${moved.seconds.toFixed(2)} moved_changed=${moved.changed} moved_cpu_seconds=${moved.cpu.toFixed(2)}\n`,
);
