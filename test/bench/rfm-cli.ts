// npm run bench:rfm-cli -- [--customers 1000000] [--runs 3]
// The analyst's CLI against the tool an analyst would pick instead: generates a
// synthetic orders CSV (deterministic seed; 1 M customers ≈ 2.57 M orders,
// ≈ 62 MB), then runs `npm run rfm` and DuckDB (one SQL statement with rank())
// on it, each in its own child process under /usr/bin/time (wall, user + sys
// CPU, peak RSS of the process tree), alternating, and compares every
// customer's recency, frequency, monetary, R, F, M and segment.
// Last line: RESULT key=value …
import { execFile } from "node:child_process";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { mkdir, readFile, rename, rm } from "node:fs/promises";
import { once } from "node:events";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { parseArgs, promisify } from "node:util";
import { isoDay, epochDay } from "../../app/domain/rfm/dates";
import { median } from "./measure";

const { values } = parseArgs({
  options: {
    customers: { type: "string", default: "1000000" },
    runs: { type: "string", default: "3" },
  },
});
const customers = Number(values.customers);
const runs = Number(values.runs);
const AS_OF = "2026-11-30";
const ROOT = path.resolve(import.meta.dirname, "../..");
const DIR = path.join(tmpdir(), "c16-rfm-cli-bench");
const say = (line: string) => process.stdout.write(`${line}\n`);
const run = promisify(execFile);

/** mulberry32: small, fast, deterministic. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Every customer orders at least once; repeat orders follow a heavy tail (mean ≈ 2.57).
 * Rows come in shuffled order (an export sorted by something else), 1 % dated after
 * the as-of date; amounts have cents, so many customers tie on every dimension.
 */
async function generate(file: string): Promise<void> {
  const next = random(20261203);
  const counts = new Uint16Array(customers);
  let orders = 0;
  for (let c = 0; c < customers; c++) {
    let n = 1;
    while (next() < 0.61 && n < 60) n++;
    counts[c] = n;
    orders += n;
  }
  const rows = new Int32Array(orders);
  for (let c = 0, k = 0; c < customers; c++) for (let j = 0; j < (counts[c] as number); j++) rows[k++] = c;
  for (let i = orders - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = rows[i] as number;
    rows[i] = rows[j] as number;
    rows[j] = t;
  }
  const asOf = epochDay(AS_OF);
  const days: string[] = [];
  for (let d = asOf - 1100; d <= asOf + 30; d++) days.push(isoDay(d));
  const out = createWriteStream(`${file}.partial`);
  let chunk = "customer_id,order_date,amount\n";
  for (let i = 0; i < orders; i++) {
    const day = next() < 0.01 ? 1101 + Math.floor(next() * 30) : Math.floor(next() ** 0.7 * 1101);
    const cents = 500 + Math.floor(next() ** 3 * 40_000);
    chunk += `${100_000 + (rows[i] as number)},${days[day]},${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
  await rename(`${file}.partial`, file);
}

interface Measured {
  wall: number;
  cpu: number;
  rssMb: number;
}

/** One child process under GNU time: wall, user + sys and max RSS over the process tree it waited for. */
async function timed(command: string, args: string[], timeFile: string): Promise<Measured> {
  const started = process.hrtime.bigint();
  try {
    await run("/usr/bin/time", ["-o", timeFile, "-f", "%e %U %S %M", command, ...args], {
      cwd: ROOT,
      maxBuffer: 16 << 20,
    });
  } catch (error) {
    const e = error as { stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed: ${e.stderr ?? String(error)}`);
  }
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const [, user, sys, kb] = (await readFile(timeFile, "utf8")).trim().split(/\s+/).map(Number);
  return { wall, cpu: (user ?? NaN) + (sys ?? NaN), rssMb: (kb ?? NaN) / 1024 };
}

/** customer_id → "recency,frequency,monetary(units),r,f,m,segment" from a scores CSV (ours or DuckDB's). */
async function readScores(file: string): Promise<Map<string, string>> {
  const scores = new Map<string, string>();
  let header = true;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (header) {
      if (line !== "customer_id,recency_days,frequency,monetary,r,f,m,segment")
        throw new Error(`${file}: unexpected header ${line}`);
      header = false;
      continue;
    }
    const [id, recency, frequency, monetary, r, f, m, segment] = line.split(",");
    // Monetary compared as exact ten-thousandths, whatever the number of printed decimals.
    const [whole, fraction = ""] = (monetary ?? "").split(".");
    const units = `${whole}${fraction.padEnd(4, "0")}`.replace(/^(-?)0+(?=\d)/, "$1");
    scores.set(id ?? "", [recency, frequency, units, r, f, m, segment].join(","));
  }
  return scores;
}

async function main() {
  await mkdir(DIR, { recursive: true });
  const csv = path.join(DIR, `orders-${customers}.csv`);
  if (!existsSync(csv)) {
    const t = Date.now();
    await generate(csv);
    say(`generated ${csv} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  const text = await readFile(csv);
  let lines = 0;
  for (let i = text.indexOf(10); i >= 0; i = text.indexOf(10, i + 1)) lines++;
  say(`${csv}: ${customers} customers, ${lines - 1} orders, ${(text.length / 1e6).toFixed(1)} MB; as of ${AS_OF}`);

  const oursOut = path.join(DIR, "ours.csv");
  const duckOut = path.join(DIR, "duckdb.csv");
  const ours: Measured[] = [];
  const duck: Measured[] = [];
  for (let i = 0; i < runs; i++) {
    await rm(oursOut, { force: true });
    await rm(duckOut, { force: true });
    // Alternating, ours first then DuckDB, so drifting load hits both alike.
    const o = await timed(
      "npm",
      ["run", "--silent", "rfm", "--", "--orders", csv, "--as-of", AS_OF, "--out", oursOut],
      path.join(DIR, "time-ours"),
    );
    const d = await timed(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "test/bench/rfm-duckdb.ts"), csv, AS_OF, duckOut],
      path.join(DIR, "time-duckdb"),
    );
    ours.push(o);
    duck.push(d);
    say(
      `  run ${i + 1}/${runs}: ours ${o.wall.toFixed(2)} s (cpu ${o.cpu.toFixed(2)} s, ${o.rssMb.toFixed(0)} MB), duckdb ${d.wall.toFixed(2)} s (cpu ${d.cpu.toFixed(2)} s, ${d.rssMb.toFixed(0)} MB)`,
    );
  }

  const a = await readScores(oursOut);
  const b = await readScores(duckOut);
  let mismatches = 0;
  const examples: string[] = [];
  for (const [id, want] of b) {
    const got = a.get(id);
    if (got !== want) {
      mismatches++;
      if (examples.length < 5) examples.push(`${id}: ours ${got ?? "missing"} duckdb ${want}`);
    }
  }
  for (const id of a.keys())
    if (!b.has(id)) {
      mismatches++;
      if (examples.length < 5) examples.push(`${id}: only in ours`);
    }
  say(`compared ${b.size} customers (ours ${a.size}): ${mismatches} mismatches`);
  for (const e of examples) say(`  ${e}`);

  const m = (xs: Measured[], k: keyof Measured) => median(xs.map((x) => x[k]));
  const oursS = m(ours, "wall");
  const duckS = m(duck, "wall");
  await rm(oursOut, { force: true });
  await rm(duckOut, { force: true });
  say(
    `RESULT ours_s=${oursS.toFixed(2)} duckdb_s=${duckS.toFixed(2)} ratio_vs_duckdb=${(oursS / duckS).toFixed(2)} mismatches=${mismatches} ours_cpu_s=${m(ours, "cpu").toFixed(2)} duckdb_cpu_s=${m(duck, "cpu").toFixed(2)} ours_peak_rss_mb=${m(ours, "rssMb").toFixed(0)} duckdb_peak_rss_mb=${m(duck, "rssMb").toFixed(0)}`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
