// npm run rfm -- --orders FILE.csv --as-of YYYY-MM-DD [--scale 5] [--window-months N]
//                [--frequency rank|thresholds] [--out scores.csv]
// Scores customers from a CSV of counted orders (customer_id,order_date,amount)
// with the app's own engine and rule table, and writes
// customer_id,recency_days,frequency,monetary,r,f,m,segment.
import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { once } from "node:events";
import { parseArgs } from "node:util";
import { scoreColumns } from "../domain/rfm/engine";
import { epochDay } from "../domain/rfm/dates";
import { runAnalystCli, UsageError } from "./analyst-cli";
import { DEFAULT_RULES } from "../domain/rfm/segments";
import { DEFAULT_FREQUENCY_THRESHOLDS } from "../domain/rfm/settings";
import { AmountsBeyondFloat, readOrdersColumns } from "../domain/rfm/orders-columns";
import { SCORES_CSV_HEADER, csvField, formatAmount } from "../domain/rfm/orders-csv";

const USAGE =
  "Usage: npm run rfm -- --orders FILE.csv --as-of YYYY-MM-DD [--scale 4|5] [--window-months N] [--frequency rank|thresholds] [--out scores.csv]";

function options() {
  const { values } = parseArgs({
    options: {
      orders: { type: "string" },
      "as-of": { type: "string" },
      scale: { type: "string", default: "5" },
      "window-months": { type: "string" },
      frequency: { type: "string", default: "rank" },
      out: { type: "string" },
    },
  });
  if (!values.orders || !values["as-of"]) throw new UsageError(USAGE);
  let asOfDay: number;
  try {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values["as-of"])) throw new Error();
    asOfDay = epochDay(values["as-of"]);
  } catch {
    throw new UsageError(`--as-of must be a date YYYY-MM-DD, got ${JSON.stringify(values["as-of"])}`);
  }
  if (values.scale !== "4" && values.scale !== "5") throw new UsageError(`--scale must be 4 or 5, got ${values.scale}`);
  const windowMonths = values["window-months"] === undefined ? null : Number(values["window-months"]);
  if (windowMonths !== null && !(Number.isInteger(windowMonths) && windowMonths >= 1 && windowMonths <= 1200))
    throw new UsageError(`--window-months must be a whole number of months (1–1200), got ${values["window-months"]}`);
  if (values.frequency !== "rank" && values.frequency !== "thresholds")
    throw new UsageError(`--frequency must be rank or thresholds`);
  const frequencyMode: "rank" | "thresholds" = values.frequency;
  return {
    file: values.orders,
    asOfDay,
    scale: Number(values.scale) as 4 | 5,
    windowMonths,
    frequencyMode,
    out: values.out,
  };
}

async function main() {
  const o = options();
  const read = (money: "float" | "exact") =>
    readOrdersColumns(createReadStream(o.file, { highWaterMark: 1 << 20 }), o.asOfDay, o.windowMonths, money);
  let columns;
  try {
    columns = await read("float");
  } catch (error) {
    // Sums past 2^53 money units: read again with exact (bigint) sums.
    if (!(error instanceof AmountsBeyondFloat)) throw error;
    columns = await read("exact");
  }
  const scores = scoreColumns(columns, {
    asOfDay: o.asOfDay,
    scale: o.scale,
    frequencyMode: o.frequencyMode,
    frequencyThresholds: DEFAULT_FREQUENCY_THRESHOLDS[o.scale],
    rules: DEFAULT_RULES[o.scale],
  });
  const { customers, customerId, frequency, monetary } = columns;

  // Written to a temporary file and renamed: a failed run never leaves a partial result.
  const target = o.out ? `${o.out}.partial` : null;
  const out = target ? createWriteStream(target) : process.stdout;
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, "drain");
  };
  try {
    let text = `${SCORES_CSV_HEADER}\n`;
    for (let i = 0; i < customers; i++) {
      text += `${csvField(customerId(i))},${scores.recencyDays[i]},${frequency[i]},${formatAmount(monetary[i] as number | bigint)},${scores.r[i]},${scores.f[i]},${scores.m[i]},${scores.segments[i]}\n`;
      if (text.length >= 1 << 16) {
        await write(text);
        text = "";
      }
    }
    await write(text);
    if (target && o.out) {
      await new Promise<void>((resolve, reject) =>
        (out as ReturnType<typeof createWriteStream>).end((e?: Error | null) => (e ? reject(e) : resolve())),
      );
      await rename(target, o.out);
    }
  } catch (error) {
    if (target) await rm(target, { force: true });
    throw error;
  }
  const { counted, afterAsOf, beforeWindow } = columns.counts;
  process.stderr.write(
    `rfm: ${columns.lines - 1} orders read, ${counted} scored for ${customers} customers` +
      (afterAsOf ? `, ${afterAsOf} dated after --as-of left out` : "") +
      (beforeWindow ? `, ${beforeWindow} before the ${o.windowMonths}-month window left out` : "") +
      "\n",
  );
}

runAnalystCli("rfm", main);
