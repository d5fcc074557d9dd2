import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { BG_NBD } from "../../app/domain/clv/bgnbd";
import { fitModel } from "../../app/domain/clv/model";
import { distinctTuples, summarise } from "../../app/domain/clv/summary";
import { ROOT } from "../demo/stack";

/**
 * `npm run clv` on the raw CDNOW sample (2 357 customers, Fader & Hardie's
 * CDNOW_sample.txt: master id, sample id, date, CDs, dollars), held to the
 * published figures: BG/NBD (Fader, Hardie & Lee 2005), MBG/NBD (Batislam et
 * al. 2007, as lifetimes and BTYDplus report it), Pareto/NBD (Fader & Hardie's
 * note), Gamma-Gamma (Fader & Hardie 2013) — each to the precision printed.
 */

const run = promisify(execFile);
const SAMPLE = path.resolve(ROOT, "../shared/datasets/cdnow/CDNOW_sample.txt");
let dir: string;
let csv: string;
const raw: { customer: string; day: number; dollars: number }[] = [];
const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const CALIBRATION_END = dayOf("1997-09-30");
const HOLDOUT_END = dayOf("1998-06-30");

async function clv(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "app/cli/clv.ts"), ...args],
      { cwd: ROOT, maxBuffer: 64 << 20 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const Output = z.object({
  model: z.string(),
  params: z.record(z.string(), z.number()),
  ll: z.number(),
  converged: z.boolean(),
  startsAgreed: z.boolean(),
  customers: z.number(),
  distinctTuples: z.number(),
  gammaGamma: z.object({ p: z.number(), q: z.number(), gamma: z.number(), customers: z.number() }),
  holdout: z.array(
    z.object({ frequency: z.string(), customers: z.number(), actual: z.number(), predicted: z.number() }),
  ),
  cumulative: z.array(z.object({ week: z.number(), actual: z.number(), predicted: z.number() })),
  warnings: z.array(z.string()),
});

async function fitted(model: string, unit = "week") {
  const result = await clv([
    "--orders",
    csv,
    "--calibration-end",
    "1997-09-30",
    "--holdout-end",
    "1998-06-30",
    "--model",
    model,
    "--unit",
    unit,
    "--json",
  ]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return Output.parse(JSON.parse(result.stdout));
}

beforeAll(async () => {
  if (!existsSync(SAMPLE)) throw new Error(`CDNOW sample not found at ${SAMPLE}`);
  dir = await mkdtemp(path.join(tmpdir(), "clv-cdnow-"));
  const lines = ["customer_id,order_date,amount"];
  for (const line of (await readFile(SAMPLE, "utf8")).split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    if (f.length !== 5) continue;
    const [, id, ymd, , dollars] = f as [string, string, string, string, string];
    const iso = `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`;
    lines.push(`${id},${iso},${dollars}`);
    raw.push({ customer: id, day: dayOf(iso), dollars: Number(dollars) });
  }
  csv = path.join(dir, "cdnow-sample.csv");
  await writeFile(csv, `${lines.join("\n")}\n`);
});

describe("npm run clv on the CDNOW sample (calibration 1997-01-01 … 1997-09-30 in weeks, holdout to 1998-06-30)", () => {
  it("GIVEN BG/NBD THEN r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = −9582.4, and Gamma-Gamma p = 6.25, q = 3.74, γ = 15.44 on 946 repeat buyers", async () => {
    const out = await fitted("bgnbd");
    expect(out.customers).toBe(2357);
    expect(out.converged && out.startsAgreed).toBe(true);
    expect(out.params.r).toBeCloseTo(0.243, 3);
    expect(out.params.alpha).toBeCloseTo(4.414, 3);
    expect(out.params.a).toBeCloseTo(0.793, 3);
    expect(out.params.b).toBeCloseTo(2.426, 3);
    expect(out.ll).toBeCloseTo(-9582.4, 1);
    expect(out.gammaGamma.customers).toBe(946);
    expect(out.gammaGamma.p).toBeCloseTo(6.25, 2);
    expect(out.gammaGamma.q).toBeCloseTo(3.74, 2);
    expect(out.gammaGamma.gamma).toBeCloseTo(15.44, 2);
    expect(out.warnings).toEqual([]);
  }, 60_000);

  it("GIVEN MBG/NBD THEN r = 0.525, α = 6.183, a = 0.891, b = 1.614", async () => {
    const out = await fitted("mbgnbd");
    expect(out.converged && out.startsAgreed).toBe(true);
    expect(out.params.r).toBeCloseTo(0.525, 3);
    expect(out.params.alpha).toBeCloseTo(6.183, 3);
    expect(out.params.a).toBeCloseTo(0.891, 3);
    expect(out.params.b).toBeCloseTo(1.614, 3);
  }, 60_000);

  it("GIVEN Pareto/NBD THEN r = 0.553, α = 10.578, s = 0.606, β = 11.669, LL = −9595.0", async () => {
    const out = await fitted("pareto");
    expect(out.converged && out.startsAgreed).toBe(true);
    expect(out.params.r).toBeCloseTo(0.553, 3);
    expect(out.params.alpha).toBeCloseTo(10.578, 3);
    expect(out.params.s).toBeCloseTo(0.606, 3);
    expect(out.params.beta).toBeCloseTo(11.669, 3);
    expect(out.ll).toBeCloseTo(-9595.0, 1);
  }, 60_000);

  it("GIVEN days as the unit THEN only the rate's scale changes: α is seven times the weekly one", async () => {
    const out = await fitted("bgnbd", "day");
    expect(out.params.r).toBeCloseTo(0.2426, 3);
    expect((out.params.alpha ?? 0) / 7).toBeCloseTo(4.4136, 2);
    expect(out.params.a).toBeCloseTo(0.7929, 3);
    expect(out.params.b).toBeCloseTo(2.4259, 3);
  }, 60_000);

  it("GIVEN the holdout THEN the table's actual side matches the raw transactions, counted here independently", async () => {
    const out = await fitted("bgnbd");
    // Same-day purchases are one transaction; repeats are the days after the first.
    const days = new Map<string, Set<number>>();
    for (const r of raw) days.set(r.customer, (days.get(r.customer) ?? new Set()).add(r.day));
    const buckets = Array.from({ length: 8 }, () => ({ customers: 0, holdout: 0 }));
    let repeats = 0;
    for (const set of days.values()) {
      const sorted = [...set].sort((a, b) => a - b);
      const x = sorted.slice(1).filter((d) => d <= CALIBRATION_END).length;
      const bucket = buckets[Math.min(x, 7)] as { customers: number; holdout: number };
      bucket.customers++;
      bucket.holdout += sorted.filter((d) => d > CALIBRATION_END && d <= HOLDOUT_END).length;
      repeats += sorted.length - 1;
    }
    expect(out.holdout.map((r) => r.frequency)).toEqual(["0", "1", "2", "3", "4", "5", "6", "7+"]);
    out.holdout.forEach((row, i) => {
      const b = buckets[i] as { customers: number; holdout: number };
      expect(row.customers).toBe(b.customers);
      expect(row.actual).toBeCloseTo(b.holdout / b.customers, 12);
    });
    // Predicted: the model's conditional expectations (the paper's figure 4 shape: rising with frequency).
    expect(out.holdout.map((r) => r.predicted)).toEqual([...out.holdout.map((r) => r.predicted)].sort((a, b) => a - b));
    expect(out.cumulative).toHaveLength(78);
    expect(out.cumulative.at(-1)?.actual).toBe(repeats);
    // Predicted total over the 78 weeks within 5 % of the actual, as the paper's figure 3.
    expect(Math.abs((out.cumulative.at(-1)?.predicted ?? 0) / repeats - 1)).toBeLessThan(0.05);
  }, 60_000);

  it("GIVEN the fitted BG/NBD THEN E[X(78)] of a new customer ≈ 1.858 and E[Y(39) | x = 2, t_x = 30.43, T = 38.86] ≈ 1.226", () => {
    const { customers } = summarise(
      raw.map((r) => ({ customerId: r.customer, day: r.day, amount: r.dollars })),
      CALIBRATION_END,
      null,
    );
    const fit = fitModel(BG_NBD, distinctTuples(customers, "week"));
    expect(fit.predictor.expectedNew(78)).toBeCloseTo(1.858, 3);
    expect(fit.predictor.expected(39, { x: 2, tx: 30.43, T: 38.86 })).toBeCloseTo(1.226, 3);
  });

  it("GIVEN --out THEN one prediction row per customer; under BG/NBD one-time buyers are certainly alive", async () => {
    const out = path.join(dir, "predictions.csv");
    const result = await clv(["--orders", csv, "--calibration-end", "1997-09-30", "--out", out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("2357 customers, 1016 distinct (x, t_x, T) tuples, unit week");
    const [header, ...rows] = (await readFile(out, "utf8")).trim().split("\n");
    expect(header).toBe(
      "customer_id,x,t_x,T,p_alive,expected_orders_90d,expected_orders_365d,expected_aov,predicted_value_12m,p_no_order_90d",
    );
    expect(rows).toHaveLength(2357);
    const first = rows.find((r) => r.startsWith("0001,"))?.split(",");
    expect(first?.slice(1, 4)).toEqual(["2", "30.43", "38.86"]);
    const oneTime = rows.map((r) => r.split(",")).filter((f) => f[1] === "0");
    expect(oneTime.length).toBe(1411);
    expect(oneTime.every((f) => f[4] === "1.0000")).toBe(true);
  }, 60_000);
});

describe("npm run clv input checks", () => {
  it("GIVEN a bad row THEN the run stops with its line number and nothing is written", async () => {
    const bad = path.join(dir, "bad.csv");
    await writeFile(bad, "customer_id,order_date,amount\n1,1997-01-01,10.00\n2,1997-02-30,5.00\n");
    const out = path.join(dir, "never.csv");
    const result = await clv(["--orders", bad, "--calibration-end", "1997-09-30", "--out", out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('clv: line 3: order_date "1997-02-30" is not a calendar date\n');
    expect(existsSync(out)).toBe(false);
  });

  it("GIVEN a holdout end before the calibration end or an unknown model THEN a usage error", async () => {
    const a = await clv(["--orders", csv, "--calibration-end", "1997-09-30", "--holdout-end", "1997-01-01"]);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain("--holdout-end must be after --calibration-end");
    const b = await clv(["--orders", csv, "--calibration-end", "1997-09-30", "--model", "nbd"]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("--model must be one of bgnbd, mbgnbd, pareto");
  });
});
