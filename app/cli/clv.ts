// npm run clv -- --orders FILE.csv --calibration-end YYYY-MM-DD [--holdout-end YYYY-MM-DD]
//                [--unit week|day] [--model bgnbd|mbgnbd|pareto] [--discount-rate 0.1]
//                [--out predictions.csv] [--json]
// Fits a purchase model (BG/NBD by default) and the Gamma-Gamma spend model on
// the orders up to the calibration end (same input as `npm run rfm`), prints the
// parameters and log-likelihood, with a holdout the papers' comparison, and
// writes per-customer predictions with --out.
import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { fitGammaGamma, STRONG_CORRELATION } from "../domain/clv/gamma-gamma";
import { cumulativeRepeatTransactions, holdoutByFrequency } from "../domain/clv/holdout";
import { fitModel, MODEL_NAMES } from "../domain/clv/model";
import { TRANSACTION_MODELS } from "../domain/clv/registry";
import { predictCustomers } from "../domain/clv/predictions";
import { distinctTuples, summarise, type TimeUnit, type Transaction } from "../domain/clv/summary";
import { epochDay } from "../domain/rfm/dates";
import { runAnalystCli, UsageError } from "./analyst-cli";
import { OrdersCsvError, checkHeader, csvField, parseOrderLine } from "../domain/rfm/orders-csv";

const USAGE =
  "Usage: npm run clv -- --orders FILE.csv --calibration-end YYYY-MM-DD [--holdout-end YYYY-MM-DD] [--unit week|day] [--model bgnbd|mbgnbd|pareto] [--discount-rate 0.1] [--out predictions.csv] [--json]";

function dateOption(name: string, value: string): number {
  try {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new Error();
    return epochDay(value);
  } catch {
    throw new UsageError(`--${name} must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
}

function options() {
  const { values } = parseArgs({
    options: {
      orders: { type: "string" },
      "calibration-end": { type: "string" },
      "holdout-end": { type: "string" },
      unit: { type: "string", default: "week" },
      model: { type: "string", default: "bgnbd" },
      "discount-rate": { type: "string", default: "0.1" },
      out: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  if (!values.orders || !values["calibration-end"]) throw new UsageError(USAGE);
  const calibrationEndDay = dateOption("calibration-end", values["calibration-end"]);
  const holdoutEndDay = values["holdout-end"] === undefined ? null : dateOption("holdout-end", values["holdout-end"]);
  if (holdoutEndDay !== null && holdoutEndDay <= calibrationEndDay)
    throw new UsageError("--holdout-end must be after --calibration-end");
  const unit = values.unit;
  if (unit !== "week" && unit !== "day") throw new UsageError(`--unit must be week or day, got ${unit}`);
  const model = MODEL_NAMES.find((m) => m === values.model);
  if (!model) throw new UsageError(`--model must be one of ${MODEL_NAMES.join(", ")}, got ${values.model}`);
  const annualDiscountRate = Number(values["discount-rate"]);
  if (!/^\d+(\.\d+)?$/.test(values["discount-rate"]) || annualDiscountRate >= 10)
    throw new UsageError(`--discount-rate must be an annual rate such as 0.1, got ${values["discount-rate"]}`);
  const timeUnit: TimeUnit = unit;
  return {
    file: values.orders,
    calibrationEndDay,
    holdoutEndDay,
    unit: timeUnit,
    model: TRANSACTION_MODELS[model],
    annualDiscountRate,
    out: values.out,
    json: values.json,
  };
}

async function readTransactions(file: string): Promise<Transaction[]> {
  const lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  const transactions: Transaction[] = [];
  let line = 0;
  for await (const raw of lines) {
    line++;
    if (line === 1) {
      checkHeader(raw);
      continue;
    }
    if (raw.trim() === "") throw new OrdersCsvError(line, "empty line");
    const order = parseOrderLine(raw, line);
    transactions.push({ customerId: order.customerId, day: order.day, amount: Number(order.amount) / 10_000 });
  }
  if (line === 0) throw new OrdersCsvError(1, "the file is empty (no header)");
  return transactions;
}

const fixed = (v: number, digits = 4) => (Number.isFinite(v) ? v.toFixed(digits) : String(v));

async function writePredictions(file: string, rows: ReturnType<typeof predictCustomers>) {
  // Written to a temporary file and renamed: a failed run never leaves a partial result.
  const target = `${file}.partial`;
  const out = createWriteStream(target);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, "drain");
  };
  try {
    await write(
      "customer_id,x,t_x,T,p_alive,expected_orders_90d,expected_orders_365d,expected_aov,predicted_value_12m,p_no_order_90d\n",
    );
    for (const p of rows)
      await write(
        [
          csvField(p.customerId),
          p.x,
          fixed(p.tx, 2),
          fixed(p.T, 2),
          fixed(p.pAlive),
          fixed(p.expectedOrders90),
          fixed(p.expectedOrders365),
          p.expectedAverageValue === null ? "" : fixed(p.expectedAverageValue, 2),
          p.predictedValue12m === null ? "" : fixed(p.predictedValue12m, 2),
          fixed(p.pNoOrder90),
        ].join(",") + "\n",
      );
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    await rename(target, file);
  } catch (error) {
    await rm(target, { force: true });
    throw error;
  }
}

async function main() {
  const o = options();
  const transactions = await readTransactions(o.file);
  const { customers, counts } = summarise(transactions, o.calibrationEndDay, o.holdoutEndDay);
  if (customers.length === 0) throw new UsageError("no customer has a purchase on or before --calibration-end");
  const set = distinctTuples(customers, o.unit);
  const fit = fitModel(o.model, set);
  const spend = fitGammaGamma(customers.map((c) => ({ x: c.x, meanValue: c.meanRepeatValue })));
  const holdout =
    o.holdoutEndDay === null
      ? null
      : {
          byFrequency: holdoutByFrequency(fit.predictor, customers, o.calibrationEndDay, o.holdoutEndDay, o.unit),
          cumulative: cumulativeRepeatTransactions(fit.predictor, customers, o.holdoutEndDay, o.unit),
        };
  if (o.out)
    await writePredictions(
      o.out,
      predictCustomers(fit.predictor, spend, customers, { unit: o.unit, annualDiscountRate: o.annualDiscountRate }),
    );

  const warnings: string[] = [];
  if (!fit.converged) warnings.push(`the ${fit.model} fit did not converge`);
  else if (!fit.startsAgreed) warnings.push(`the ${fit.model} fit reached different optima from different starts`);
  if (!spend) warnings.push("no Gamma-Gamma fit: fewer than 2 repeat customers with a positive mean value");
  else {
    if (!spend.converged) warnings.push("the Gamma-Gamma fit did not converge");
    if (spend.strongCorrelation)
      warnings.push(
        `frequency and average value are correlated (r = ${spend.frequencyValueCorrelation.toFixed(2)}, |r| ≥ ${STRONG_CORRELATION}): the Gamma-Gamma model assumes they are independent`,
      );
  }

  if (o.json) {
    process.stdout.write(
      `${JSON.stringify({
        model: fit.model,
        unit: o.unit,
        params: fit.params,
        ll: fit.ll,
        converged: fit.converged,
        startsAgreed: fit.startsAgreed,
        customers: fit.customers,
        distinctTuples: fit.distinctTuples,
        counts,
        gammaGamma: spend && {
          p: spend.p,
          q: spend.q,
          gamma: spend.gamma,
          ll: spend.ll,
          customers: spend.customers,
          nonPositive: spend.nonPositive,
          frequencyValueCorrelation: spend.frequencyValueCorrelation,
        },
        holdout: holdout?.byFrequency ?? null,
        cumulative: holdout?.cumulative ?? null,
        warnings,
      })}\n`,
    );
    return;
  }
  const out: string[] = [];
  out.push(
    `${counts.transactions} transactions read; ${customers.length} customers, ${fit.distinctTuples} distinct (x, t_x, T) tuples, unit ${o.unit}` +
      (counts.customersAfterCalibration
        ? `; ${counts.customersAfterCalibration} customers first buying after the calibration end left out`
        : "") +
      (counts.transactionsAfterEnd
        ? `; ${counts.transactionsAfterEnd} transactions after the last end date left out`
        : ""),
  );
  out.push(
    `${fit.model}: ${Object.entries(fit.params)
      .map(([k, v]) => `${k}=${fixed(v)}`)
      .join(
        " ",
      )}  LL=${fixed(fit.ll, 2)}  ${fit.converged ? "converged" : "NOT converged"} (${fit.iterations} iterations${fit.startsAgreed ? ", all starts agree" : ""})`,
  );
  if (spend)
    out.push(
      `gamma-gamma on ${spend.customers} repeat customers${spend.nonPositive ? ` (${spend.nonPositive} with a zero or negative mean value left out)` : ""}: p=${fixed(spend.p)} q=${fixed(spend.q)} gamma=${fixed(spend.gamma)}  LL=${fixed(spend.ll, 2)}  corr(frequency, value)=${fixed(spend.frequencyValueCorrelation, 3)}`,
    );
  if (holdout) {
    out.push("", "holdout: mean repeat transactions per customer by calibration frequency");
    out.push("frequency  customers    actual  predicted");
    for (const r of holdout.byFrequency)
      out.push(
        `${r.frequency.padStart(9)}  ${String(r.customers).padStart(9)}  ${fixed(r.actual, 3).padStart(8)}  ${fixed(r.predicted, 3).padStart(9)}`,
      );
    out.push("", "cumulative repeat transactions by week");
    out.push(" week    actual  predicted");
    for (const r of holdout.cumulative)
      out.push(`${String(r.week).padStart(5)}  ${String(r.actual).padStart(8)}  ${fixed(r.predicted, 1).padStart(9)}`);
  }
  for (const w of warnings) out.push(`WARNING: ${w}`);
  process.stdout.write(`${out.join("\n")}\n`);
}

runAnalystCli("clv", main);
