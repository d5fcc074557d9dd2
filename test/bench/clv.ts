// npm run bench:clv -- --customers 1000000 [--seed 17]
// Generates a shop's summary from the BG/NBD and Gamma-Gamma models themselves
// (first purchases spread over three years, purchase times in whole days with
// same-day purchases merged, as real orders give), then times, in weeks:
// distinct (x, t_x, T) tuples, the BG/NBD fit (the default model — the target),
// the Gamma-Gamma fit and every customer's predictions; MBG/NBD and Pareto/NBD
// fits are timed beside it. Storing predictions belongs to the in-app part and
// is not measured here. Last line: RESULT key=value …
import { parseArgs } from "node:util";
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

function main() {
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

main();
