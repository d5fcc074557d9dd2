// npm run bench:clv -- --customers 1000000 [--seed 17] [--in-memory] [--database NAME]
// Generates a shop from the BG/NBD and Gamma-Gamma models themselves (first
// purchases spread over three years, purchase times in whole days with
// same-day purchases merged, as real orders give).
// Default, end to end: the shop's orders go into a template database (the
// server in DATABASE_URL, else PGlite) once, with the app's own aggregates and
// full scoring run; then, three times on the same copy, the app's prediction
// job (rfm.predict: summary read from the database, MBG/NBD + Gamma-Gamma fit,
// every customer's prediction stored, segment summary) is timed; medians.
// --in-memory: no database; times distinct tuples, the BG/NBD fit, the
// Gamma-Gamma fit and every customer's predictions, MBG/NBD and Pareto/NBD
// fits beside it. Last line: RESULT key=value …
import { parseArgs } from "node:util";
import { from as copyFrom } from "pg-copy-streams";
import pg from "pg";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { createDb } from "../../app/platform/db.server";
import { recomputeShopAggregates } from "../../app/pipeline/aggregate/aggregates.server";
import { runFullScoring } from "../../app/pipeline/score/scoring.server";
import { runPredictions } from "../../app/pipeline/predict/predictions.server";
import { isoDay, epochDay } from "../../app/domain/rfm/dates";
import { benchTemplate } from "./bench-database";
import { loadAverageLine, medianOf, startCpuMeter } from "./measure";
import { BG_NBD, MBG_NBD } from "../../app/domain/clv/bgnbd";
import { fitGammaGamma } from "../../app/domain/clv/gamma-gamma";
import { fitModel, type TransactionModel } from "../../app/domain/clv/model";
import { PARETO_NBD } from "../../app/domain/clv/pareto";
import { predictCustomers } from "../../app/domain/clv/predictions";
import { seededRandom, simulateCustomer, simulateMeanValue } from "../../app/domain/clv/simulate";
import { distinctTuples, type CustomerSummary } from "../../app/domain/clv/summary";

const { values } = parseArgs({
  options: {
    customers: { type: "string", default: "1000000" },
    seed: { type: "string", default: "17" },
    "in-memory": { type: "boolean", default: false },
    database: { type: "string", default: "rfm_bench_clv" },
  },
});
const n = Number(values.customers);
if (!Number.isInteger(n) || n < 100)
  throw new Error(`--customers must be a whole number ≥ 100, got ${values.customers}`);
const say = (line: string) => process.stdout.write(`${line}\n`);
const since = (t: number) => (performance.now() - t) / 1000;

// In days: CDNOW's weekly BG/NBD with α × 7; values as CDNOW's Gamma-Gamma.
const TRUTH = [0.243, 4.414 * 7, 0.793, 2.426];
const SPEND = { p: 6.25, q: 3.74, gamma: 15.44 };
const HISTORY_DAYS = 3 * 365;

function generate(): CustomerSummary[] {
  const random = seededRandom(Number(values.seed));
  const customers: CustomerSummary[] = [];
  for (let i = 0; i < n; i++) {
    const TDays = Math.floor(random() * HISTORY_DAYS);
    const { purchases } = simulateCustomer(random, "bgnbd", TRUTH, TDays);
    // Whole days; a purchase on the day of the previous one is the same transaction.
    const days: number[] = [];
    let last = 0;
    for (const t of purchases) {
      const d = Math.floor(t);
      if (d > last) days.push((last = d));
    }
    const x = days.length;
    customers.push({
      customerId: String(i + 1),
      firstDay: -TDays,
      x,
      txDays: x ? last : 0,
      TDays,
      meanRepeatValue: x ? simulateMeanValue(random, SPEND, x) : 0,
      holdoutX: 0,
      repeatDays: [],
    });
  }
  return customers;
}

function timedFit(model: TransactionModel, set: ReturnType<typeof distinctTuples>) {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const fit = fitModel(model, set);
  const seconds = since(t);
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  say(
    `${model.name}: ${Object.entries(fit.params)
      .map(([k, v]) => `${k}=${v.toFixed(4)}`)
      .join(
        " ",
      )} LL=${fit.ll.toFixed(1)} ${fit.converged ? "converged" : "NOT converged"}${fit.startsAgreed ? ", all starts agree" : ", starts disagree"} (${fit.iterations} iterations) in ${seconds.toFixed(2)} s (CPU ${cpuSeconds.toFixed(2)} s)`,
  );
  return { fit, seconds, cpuSeconds };
}

function inMemory() {
  let t = performance.now();
  const customers = generate();
  say(
    `generated ${n} customers from BG/NBD (days: r, α, a, b = ${TRUTH.map((v) => v.toFixed(3)).join(", ")}) in ${since(t).toFixed(1)} s`,
  );

  const start = performance.now();
  const startCpu = process.cpuUsage();
  t = start;
  const set = distinctTuples(customers, "week");
  const tuplesSeconds = since(t);
  say(`${set.x.length} distinct (x, t_x, T) tuples in ${tuplesSeconds.toFixed(2)} s`);
  const bg = timedFit(BG_NBD, set);
  t = performance.now();
  const spend = fitGammaGamma(customers.map((c) => ({ x: c.x, meanValue: c.meanRepeatValue })));
  const spendSeconds = since(t);
  if (!spend) throw new Error("no Gamma-Gamma fit");
  say(
    `gamma-gamma on ${spend.customers} repeat customers: p=${spend.p.toFixed(4)} q=${spend.q.toFixed(4)} gamma=${spend.gamma.toFixed(4)} ${spend.converged ? "converged" : "NOT converged"} in ${spendSeconds.toFixed(2)} s`,
  );
  t = performance.now();
  const predictions = predictCustomers(bg.fit.predictor, spend, customers, { unit: "week", annualDiscountRate: 0.1 });
  const predictSeconds = since(t);
  const total = since(start);
  const totalCpu = process.cpuUsage(startCpu);
  const value = predictions.reduce((s, p) => s + (p.predictedValue12m ?? 0), 0);
  say(
    `predictions for ${predictions.length} customers in ${predictSeconds.toFixed(2)} s (Σ 12-month value ${value.toFixed(0)})`,
  );

  const mbg = timedFit(MBG_NBD, set);
  const pareto = timedFit(PARETO_NBD, set);
  say(
    `RESULT customers=${n} fit_seconds=${bg.seconds.toFixed(2)} fit_cpu_seconds=${bg.cpuSeconds.toFixed(2)} total_seconds=${total.toFixed(2)} total_cpu_seconds=${((totalCpu.user + totalCpu.system) / 1e6).toFixed(2)} distinct_tuples=${set.x.length} ll=${bg.fit.ll.toFixed(1)} converged=${bg.fit.converged} gamma_gamma_seconds=${spendSeconds.toFixed(2)} predict_seconds=${predictSeconds.toFixed(2)} mbgnbd_fit_seconds=${mbg.seconds.toFixed(2)} pareto_fit_seconds=${pareto.seconds.toFixed(2)}`,
  );
}

const SHOP = "bench-clv.myshopify.com";
const AS_OF = "2026-11-20";

/** COPY text lines of "Order" rows: each customer's first order and one order per repeat day, at noon UTC. */
function* orderLines(customers: CustomerSummary[]): Generator<string> {
  const random = seededRandom(Number(values.seed) + 1);
  const asOf = epochDay(AS_OF);
  let id = 1;
  const line = (customerId: string, day: number, amount: number) => {
    const at = `${isoDay(day)} 12:00:00+00`;
    return `${SHOP}\t${id++}\t${customerId}\t${at}\t${at}\t${at}\tEUR\t${amount.toFixed(2)}\t${amount.toFixed(2)}\t0\t{}\n`;
  };
  let chunk = "";
  for (const c of customers) {
    const first = asOf - c.TDays;
    chunk += line(c.customerId, first, 5 + random() * 100);
    // x repeat days at distinct whole days up to t_x, the last on t_x; each worth the customer's mean.
    const days = new Set<number>([c.txDays]);
    while (days.size < c.x) days.add(1 + Math.floor(random() * Math.max(1, c.txDays - 1)));
    if (c.x > 0) for (const d of days) chunk += line(c.customerId, first + d, Math.max(0.01, c.meanRepeatValue));
    if (chunk.length > 1 << 16) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

async function seed(url: string) {
  const customers = generate().map((c) => ({ ...c, txDays: c.x > c.txDays ? c.x : c.txDays }));
  const db = createDb(url, 2);
  let t = performance.now();
  await db.shop.create({ data: { shop: SHOP, ianaTimezone: "UTC" } });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  if (process.env.DATABASE_URL) {
    const copy = client.query(
      copyFrom(
        `COPY "Order" (shop, id, "customerId", "createdAt", "processedAt", "shopifyUpdatedAt", currency, "totalPrice", "currentTotalPrice", "totalRefunded", "discountCodes") FROM STDIN`,
      ),
    );
    await pipeline(Readable.from(orderLines(customers)), copy);
  } else {
    // PGlite has no COPY FROM STDIN: the same rows as multi-row INSERTs (small runs only).
    for (const chunk of orderLines(customers)) {
      const rows = chunk
        .trim()
        .split("\n")
        .map((l) => l.split("\t"));
      const params = rows.flat().map((v) => (v === "{}" ? [] : v));
      const width = 11;
      const tuples = rows.map(
        (_, i) =>
          `(${Array.from({ length: width }, (_, k) => `$${i * width + k + 1}${["", "::bigint", "::bigint", "::timestamptz", "::timestamptz", "::timestamptz", "", "::numeric", "::numeric", "::numeric", "::text[]"][k]}`).join(", ")})`,
      );
      await client.query(
        `INSERT INTO "Order" (shop, id, "customerId", "createdAt", "processedAt", "shopifyUpdatedAt", currency, "totalPrice", "currentTotalPrice", "totalRefunded", "discountCodes") VALUES ${tuples.join(", ")}`,
        params,
      );
    }
  }
  await client.end();
  say(`seed: orders ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  await recomputeShopAggregates(db, SHOP, new Date(`${AS_OF}T23:00:00Z`));
  await runFullScoring(db, SHOP, { asOf: AS_OF });
  if (process.env.DATABASE_URL) await db.$executeRawUnsafe(`VACUUM ANALYZE`);
  say(`seed: aggregates and full scoring run (the app's own) ${((performance.now() - t) / 1000).toFixed(1)} s`);
  await db.$disconnect();
}

async function endToEnd() {
  say(`database: ${process.env.DATABASE_URL ? "PostgreSQL server" : "embedded PGlite"}; ${n} customers`);
  const template = await benchTemplate(values.database, `clv customers=${n} seed=${values.seed}`, seed);
  const url = await template.fresh();
  const db = createDb(url, 4);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  let last = { distinctTuples: 0, ll: 0, predictions: 0, converged: false };
  const { median } = await medianOf(
    3,
    async () => {
      const meter = await startCpuMeter(url);
      const outcome = await runPredictions({ db, pool }, SHOP);
      const cpu = await meter();
      if (!outcome?.sufficient) throw new Error(`prediction run not sufficient: ${outcome?.reason}`);
      const run = await db.predictionRun.findFirstOrThrow({ where: { shop: SHOP, id: outcome.runId } });
      const stored = await db.customerPrediction.count({ where: { shop: SHOP, runId: outcome.runId } });
      if (stored !== n) throw new Error(`stored ${stored} predictions for ${n} customers`);
      last = {
        distinctTuples: outcome.distinctTuples,
        ll: run.ll ?? NaN,
        predictions: stored,
        converged: run.converged === true,
      };
      return {
        read_seconds: outcome.readSeconds,
        fit_seconds: outcome.fitSeconds,
        predict_seconds: outcome.predictSeconds,
        store_seconds: outcome.storeSeconds,
        total_seconds: outcome.seconds,
        app_cpu_seconds: cpu.app,
        db_cpu_seconds: cpu.db,
      };
    },
    say,
  );
  await pool.end();
  await db.$disconnect();
  await template.stop();
  say(loadAverageLine());
  say(
    `RESULT customers=${n} fit_seconds=${median.fit_seconds.toFixed(2)} total_seconds=${median.total_seconds.toFixed(2)} distinct_tuples=${last.distinctTuples} ll=${last.ll.toFixed(1)} converged=${last.converged} model=mbgnbd stored=${last.predictions} read_seconds=${median.read_seconds.toFixed(2)} predict_seconds=${median.predict_seconds.toFixed(2)} store_seconds=${median.store_seconds.toFixed(2)} app_cpu_seconds=${median.app_cpu_seconds.toFixed(2)} db_cpu_seconds=${median.db_cpu_seconds.toFixed(2)}`,
  );
}

if (values["in-memory"]) inMemory();
else
  endToEnd().catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
