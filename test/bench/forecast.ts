// The forecast job and the Forecast page on a generated shop: N scored customers with two orders each, six
// recorded months of segment stays and a sufficient prediction run's P(alive) (written by SQL), then rfm.forecast
// (runForecast) once, then the page's data (loadForecastPage) 5 warm-up + 50 times. Last line: RESULT key=value …
import os from "node:os";
import { parseArgs } from "node:util";
import { createDb } from "../../app/platform/db.server";
import { runForecast } from "../../app/pipeline/forecast/forecast.server";
import { SegmentForecast } from "../../app/pipeline/forecast/forecast-shapes";
import { loadForecastPage } from "../../app/pages/forecast/forecast-page.server";
import { RULE_SEGMENT_KEYS } from "../../app/domain/rfm/segments";
import { benchDatabase } from "./bench-database";
import { loadAverageLine } from "./measure";

const { values } = parseArgs({ options: { customers: { type: "string", default: "100000" } } });
const N = Number(values.customers);
const SHOP = "bench-forecast.myshopify.com";
const AS_OF = "2026-11-30";
const say = (line: string) => process.stdout.write(`${line}\n`);

const database = await benchDatabase("rfm_bench_forecast");
const db = createDb(database.url, 4);
const segments = `ARRAY[${RULE_SEGMENT_KEYS.map((k) => `'${k}'`).join(",")}]`;
await db.shop.create({ data: { shop: SHOP, ianaTimezone: "Europe/Amsterdam", currencyCode: "EUR" } });
for (let k = 6; k >= 0; k--)
  await db.$executeRawUnsafe(
    `INSERT INTO "ScoringRun" (shop, kind, "asOf", scale, settings, customers, cutoffs, stats, "finishedAt")
     VALUES ($1, 'full', $2::date - $3::int, 5, '{}', $4, '{}', '{}', now())`,
    SHOP,
    AS_OF,
    30 * k,
    N,
  );
const runId = (await db.scoringRun.findFirstOrThrow({ where: { shop: SHOP }, orderBy: { id: "desc" } })).id;
// Segment at month k (0 … 6): a deterministic walk, mostly staying.
const segmentAt = (k: number) =>
  `(${segments})[1 + ((c * 7 + (CASE WHEN (c + ${k}) % 4 = 0 THEN ${k} ELSE 0 END)) % ${RULE_SEGMENT_KEYS.length})]`;
const seedStarted = Date.now();
for (let k = 0; k < 6; k++)
  await db.$executeRawUnsafe(
    `INSERT INTO "SegmentMembership" (shop, "customerId", kind, segment, "validFrom", "validTo")
     SELECT $1, c, 'rfm', ${segmentAt(k)}, $2::date - ${30 * (6 - k)}, $2::date - ${30 * (5 - k)}
     FROM generate_series(1, $3::int) c`,
    SHOP,
    AS_OF,
    N,
  );
await db.$executeRawUnsafe(
  `INSERT INTO "CustomerScore" (shop, "customerId", "lastOrderDate", frequency, monetary, r, f, m, segment,
     "segmentSince", behaviours, "behaviourSince", "scoredRunId")
   SELECT $1, c, $2::date - c % 50, 2, (c % 997)::numeric, 3, 3, 3, ${segmentAt(6)}, $2::date, '{}', '{}', $4
   FROM generate_series(1, $3::int) c`,
  SHOP,
  AS_OF,
  N,
  runId,
);
await db.$executeRawUnsafe(
  `INSERT INTO "Customer" (shop, id, "firstName", "lastName", "shopifyUpdatedAt")
   SELECT $1, c, 'Klant', c::text, now() FROM generate_series(1, $2::int) c`,
  SHOP,
  N,
);
await db.$executeRawUnsafe(
  `INSERT INTO "Order" (shop, id, "customerId", "createdAt", "processedAt", "shopifyUpdatedAt", currency, "totalPrice",
     "currentTotalPrice", "totalRefunded", "discountCodes")
   SELECT $1, c * 2 + o, c, at, at, at, 'EUR', 20, 20, 0, '{}'
   FROM generate_series(1, $3::int) c, generate_series(0, 1) o,
        LATERAL (SELECT ($2::date - 400 + c % 300 + o * (c % 97))::timestamp + interval '12 hours' AS at) t`,
  SHOP,
  AS_OF,
  N,
);
// The prediction run rfm.forecast follows: a sufficient run and every customer's P(alive) (100 levels).
const prediction = await db.predictionRun.create({
  data: {
    shop: SHOP,
    scoringRunId: runId,
    model: "mbgnbd",
    unit: "week",
    annualDiscountRate: 0.1,
    distinctTuples: 0,
    customers: N,
    repeatCustomers: N,
    sufficient: true,
    finishedAt: new Date(),
  },
});
await db.$executeRawUnsafe(
  `INSERT INTO "CustomerPrediction" (shop, "customerId", "runId", "pAlive", "expectedOrders90", "expectedOrders365",
     "pOrder30", "pNoOrder90")
   SELECT $1, c, $3, 0.005 + (c % 100) / 100.0, 0, 0, 0, 1 FROM generate_series(1, $2::int) c`,
  SHOP,
  N,
  prediction.id,
);
await db.$executeRawUnsafe(`ANALYZE`);
say(`seeded ${N} customers, 6 months of stays, ${2 * N} orders in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);

const cpu0 = process.cpuUsage();
const jobStarted = Date.now();
const run = await runForecast(db, SHOP);
const jobSeconds = (Date.now() - jobStarted) / 1000;
const jobCpu = process.cpuUsage(cpu0);
if (!run?.sufficient) throw new Error("the forecast is not sufficient");
if (SegmentForecast.parse(run.segmentForecast).movingDown.some((c) => c.pAlive === null))
  throw new Error("the moving-down list did not read the stored P(alive)");
say(`rfm.forecast: ${jobSeconds.toFixed(2)} s wall, ${((jobCpu.user + jobCpu.system) / 1e6).toFixed(2)} s CPU (app)`);

const request = () => new Request("https://app.example/app/forecast?locale=en");
for (let i = 0; i < 5; i++) await loadForecastPage(db, SHOP, request());
const samples: number[] = [];
for (let i = 0; i < 50; i++) {
  const t = performance.now();
  const page = await loadForecastPage(db, SHOP, request());
  samples.push(performance.now() - t);
  if (!page.run || page.run.movingDown.length === 0) throw new Error("the page shows no forecast");
}
samples.sort((a, b) => a - b);
const p = (q: number) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)] ?? 0;
say(loadAverageLine());
say(
  `RESULT customers=${N} forecast_job_seconds=${jobSeconds.toFixed(2)} forecast_job_app_cpu_seconds=${((jobCpu.user + jobCpu.system) / 1e6).toFixed(2)} page_p50_ms=${p(0.5).toFixed(1)} page_p95_ms=${p(0.95).toFixed(1)} load1=${os.loadavg()[0]?.toFixed(2)}`,
);
await db.$disconnect();
await database.stop();
