import { execFile } from "node:child_process";
import { createReadStream, existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "../../app/domain/rfm/segments";
import { ROOT } from "../demo/stack";

/**
 * The command-line scorer on real data (../shared/datasets), checked against
 * a small independent implementation written here from the rule's wording:
 * for every customer and dimension, count the customers with a strictly
 * worse value by binary search over the sorted values, then 1 + floor(S·L/n),
 * then the first rule of the published table that contains the triple.
 */

const run = promisify(execFile);
const DATASETS = path.resolve(ROOT, "../shared/datasets");
let dir: string;

async function rfm(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "app/cli/rfm.ts"), ...args],
      { cwd: ROOT, maxBuffer: 64 << 20 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

interface Row {
  customer: string;
  day: number;
  /** Thousandths of the currency unit (exact for both datasets). */
  milli: number;
}

const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

// --- the independent reference -------------------------------------------------

function lowerBound(sorted: number[], v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function reference(rows: Row[], asOf: string, scale: 4 | 5, windowMonths: number | null) {
  const asOfDay = dayOf(asOf);
  let from = -Infinity;
  if (windowMonths !== null) {
    const d = new Date(asOfDay * 86_400_000);
    const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - windowMonths, 1));
    const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
    from = Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(d.getUTCDate(), lastDay)) / 86_400_000;
  }
  const customers = new Map<string, { last: number; n: number; milli: number }>();
  for (const r of rows) {
    if (r.day > asOfDay || r.day <= from) continue;
    const c = customers.get(r.customer) ?? { last: -Infinity, n: 0, milli: 0 };
    c.last = Math.max(c.last, r.day);
    c.n += 1;
    c.milli += r.milli;
    customers.set(r.customer, c);
  }
  const ids = [...customers.keys()];
  const n = ids.length;
  // "Goodness" so that worse = smaller: recency negated.
  const good = {
    r: ids.map((id) => -(asOfDay - (customers.get(id)?.last as number))),
    f: ids.map((id) => customers.get(id)?.n as number),
    m: ids.map((id) => customers.get(id)?.milli as number),
  };
  const sorted = {
    r: [...good.r].sort((a, b) => a - b),
    f: [...good.f].sort((a, b) => a - b),
    m: [...good.m].sort((a, b) => a - b),
  };
  const score = (dim: "r" | "f" | "m", i: number) =>
    1 + Math.floor((scale * lowerBound(sorted[dim], good[dim][i] as number)) / n);
  const out = new Map<string, string>();
  ids.forEach((id, i) => {
    const c = customers.get(id) as { last: number; n: number; milli: number };
    const [r, f, m] = [score("r", i), score("f", i), score("m", i)];
    const rule = DEFAULT_RULES[scale].find(
      (x) => r >= x.r[0] && r <= x.r[1] && f >= x.f[0] && f <= x.f[1] && m >= x.m[0] && m <= x.m[1],
    );
    out.set(id, [asOfDay - c.last, c.n, (c.milli / 1000).toFixed(2), r, f, m, rule?.segment ?? "NONE"].join(","));
  });
  return out;
}

function parseScores(csv: string): Map<string, string> {
  const [header, ...lines] = csv.trimEnd().split("\n");
  expect(header).toBe("customer_id,recency_days,frequency,monetary,r,f,m,segment");
  return new Map(
    lines.map((l) => {
      const [id, ...rest] = l.split(",");
      return [id as string, rest.join(",")];
    }),
  );
}

/** Online Retail amounts have tenths of a cent; the reference prints cents. */
function atCents(scores: Map<string, string>): Map<string, string> {
  return new Map(
    [...scores].map(([id, v]) => {
      const f = v.split(",");
      f[2] = Number(f[2]).toFixed(2);
      return [id, f.join(",")];
    }),
  );
}

function compare(actual: Map<string, string>, expected: Map<string, string>) {
  expect(actual.size).toBe(expected.size);
  const diffs: string[] = [];
  for (const [id, want] of expected)
    if (actual.get(id) !== want) diffs.push(`${id}: got ${actual.get(id)} want ${want}`);
  expect(diffs.slice(0, 5)).toEqual([]);
}

// --- the datasets --------------------------------------------------------------

const cdnow: Row[] = [];
const retail: Row[] = [];

beforeAll(async () => {
  if (!existsSync(DATASETS))
    throw new Error(`datasets not found at ${DATASETS} (../shared/datasets beside the project)`);
  dir = await mkdtemp(path.join(tmpdir(), "rfm-datasets-"));

  // CDNOW master: one row per transaction; each is an order.
  const master = await readFile(path.join(DATASETS, "cdnow/CDNOW_master.txt"), "utf8");
  const cdnowCsv = ["customer_id,order_date,amount"];
  for (const line of master.split(/\r?\n/).slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length !== 4) continue;
    const [id, ymd, , dollars] = f as [string, string, string, string];
    const iso = `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`;
    cdnow.push({ customer: id, day: dayOf(iso), milli: Math.round(Number(dollars) * 1000) });
    cdnowCsv.push(`${id},${iso},${dollars}`);
  }
  await writeFile(path.join(dir, "cdnow.csv"), `${cdnowCsv.join("\n")}\n`);

  // Online Retail: an invoice is an order (not a cancellation "C…", with a customer,
  // positive quantities); its amount is Σ quantity × unit price.
  const invoices = new Map<string, { customer: string; at: string; milli: number }>();
  const lines = createInterface({
    input: createReadStream(path.join(DATASETS, "online_retail/online_retail.csv.gz")).pipe(createGunzip()),
    crlfDelay: Infinity,
  });
  let first = true;
  for await (const line of lines) {
    if (first) {
      first = false;
      continue;
    }
    // Descriptions may be quoted and contain commas; the last five fields never do.
    const f = line.split(",");
    const [quantity, at, price, customer] = f.slice(-5, -1) as [string, string, string, string];
    const invoice = f[0] as string;
    if (invoice.startsWith("C") || customer === "" || Number(quantity) <= 0) continue;
    const inv = invoices.get(invoice) ?? { customer: String(Math.trunc(Number(customer))), at, milli: 0 };
    inv.milli += Number(quantity) * Math.round(Number(price) * 1000);
    invoices.set(invoice, inv);
  }
  const retailCsv = ["customer_id,order_date,amount"];
  for (const inv of invoices.values()) {
    retail.push({ customer: inv.customer, day: dayOf(inv.at.slice(0, 10)), milli: inv.milli });
    retailCsv.push(`${inv.customer},${inv.at.replace(" ", "T")},${(inv.milli / 1000).toFixed(3)}`);
  }
  await writeFile(path.join(dir, "retail.csv"), `${retailCsv.join("\n")}\n`);
}, 120_000);

describe("npm run rfm on CDNOW (Fader & Hardie)", () => {
  it("GIVEN the master file as of 1998-07-01 THEN all 23,570 customers match the independent reference", async () => {
    const out = path.join(dir, "cdnow-scores.csv");
    const result = await rfm(["--orders", path.join(dir, "cdnow.csv"), "--as-of", "1998-07-01", "--out", out]);
    expect(result.stderr).toContain("69659 orders read, 69659 scored for 23570 customers");
    expect(result.code).toBe(0);
    const actual = parseScores(await readFile(out, "utf8"));
    expect(actual.size).toBe(23_570);
    compare(actual, reference(cdnow, "1998-07-01", 5, null));
  }, 60_000);

  it("GIVEN scale 4 and a 12-month window THEN it still matches, and customers without an order in the window are left out", async () => {
    const result = await rfm([
      "--orders",
      path.join(dir, "cdnow.csv"),
      "--as-of",
      "1998-07-01",
      "--scale",
      "4",
      "--window-months",
      "12",
    ]);
    expect(result.code).toBe(0);
    const expected = reference(cdnow, "1998-07-01", 4, 12);
    expect(expected.size).toBeLessThan(23_570);
    compare(parseScores(result.stdout), expected);
  }, 60_000);
});

describe("npm run rfm on UCI Online Retail", () => {
  it("GIVEN the 2010-12 … 2011-12 invoices THEN the published totals hold and every customer matches the reference", async () => {
    // The dataset's documented cross-check: 18,536 invoices, 4,339 customers, revenue 8,911,407.904.
    expect(retail.length).toBe(18_536);
    expect(new Set(retail.map((r) => r.customer)).size).toBe(4_339);
    const result = await rfm(["--orders", path.join(dir, "retail.csv"), "--as-of", "2011-12-10"]);
    expect(result.code).toBe(0);
    const actual = parseScores(result.stdout);
    expect(actual.size).toBe(4_339);
    const revenue = [...actual.values()].reduce((sum, v) => sum + Math.round(Number(v.split(",")[2]) * 1000), 0);
    expect(revenue).toBe(8_911_407_904);
    compare(atCents(actual), reference(retail, "2011-12-10", 5, null));
  }, 60_000);

  it("GIVEN an earlier as-of THEN later invoices are left out and reported", async () => {
    const result = await rfm([
      "--orders",
      path.join(dir, "retail.csv"),
      "--as-of",
      "2011-06-30",
      "--window-months",
      "6",
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/\d+ dated after --as-of left out, \d+ before the 6-month window left out/);
    compare(atCents(parseScores(result.stdout)), reference(retail, "2011-06-30", 5, 6));
  }, 60_000);
});

describe("npm run rfm with bad input", () => {
  const cases: [string, string, RegExp][] = [
    ["wrong header", "id,date,value\n1,2024-01-01,5\n", /line 1: header must be "customer_id,order_date,amount"/],
    [
      "bad date",
      "customer_id,order_date,amount\n1,2024-01-01,5\n2,2024-02-30,5\n",
      /line 3: order_date "2024-02-30" is not a calendar date/,
    ],
    ["bad amount", "customer_id,order_date,amount\n1,2024-01-01,5\n2,2024-01-02,12,50\n", /line 3: expected 3 fields/],
    [
      "too many decimals",
      "customer_id,order_date,amount\n1,2024-01-01,5.123456\n",
      /line 2: amount "5.123456" is not a decimal number with at most 4 decimals/,
    ],
    ["missing customer", "customer_id,order_date,amount\n,2024-01-01,5\n", /line 2: customer_id is empty/],
    [
      "garbage timestamp",
      "customer_id,order_date,amount\n1,yesterday,5\n",
      /line 2: order_date "yesterday" is neither YYYY-MM-DD nor an ISO timestamp/,
    ],
  ];
  for (const [name, content, message] of cases) {
    it(`GIVEN ${name} THEN it fails naming the line and writes no output file`, async () => {
      const file = path.join(dir, `bad-${name.replaceAll(" ", "-")}.csv`);
      const out = `${file}.scores.csv`;
      await writeFile(file, content);
      const result = await rfm(["--orders", file, "--as-of", "2024-06-01", "--out", out]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
      expect(existsSync(`${out}.partial`)).toBe(false);
    });
  }

  it("GIVEN no --as-of THEN it prints the usage", async () => {
    const result = await rfm(["--orders", "x.csv"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Usage: npm run rfm -- --orders FILE.csv --as-of YYYY-MM-DD");
  });

  it("GIVEN amounts whose sums pass 2^53 money units THEN it reads again with exact sums", async () => {
    const file = path.join(dir, "huge.csv");
    await writeFile(
      file,
      "customer_id,order_date,amount\na,2024-05-01,99999999999999.9999\na,2024-05-02,99999999999999.9999\nb,2024-05-03,1\n",
    );
    const result = await rfm(["--orders", file, "--as-of", "2024-06-01"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("3 orders read, 3 scored for 2 customers");
    expect(result.stdout).toBe(
      "customer_id,recency_days,frequency,monetary,r,f,m,segment\na,30,2,199999999999999.9998,1,3,3,at_risk\nb,29,1,1.00,3,1,1,about_to_sleep\n",
    );
  });

  it("accepts quoted ids, ISO timestamps with offsets (taken to UTC) and CRLF line ends", async () => {
    const file = path.join(dir, "mixed.csv");
    await writeFile(
      file,
      'customer_id,order_date,amount\r\n"a,1",2024-05-31T23:30:00-02:00,10\r\nb,2024-05-31 10:00:00,20.5\r\n',
    );
    const result = await rfm(["--orders", file, "--as-of", "2024-06-01"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'customer_id,recency_days,frequency,monetary,r,f,m,segment\n"a,1",0,1,10.00,3,1,1,about_to_sleep\nb,1,1,20.50,1,1,3,lost\n',
    );
  });
});
