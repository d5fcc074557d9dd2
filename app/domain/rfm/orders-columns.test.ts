import { Readable } from "node:stream";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { CustomerValuesAccumulator, scoreColumns, scoreCustomers, type ScoreOptions } from "./engine";
import { epochDay, isoDay } from "./dates";
import { AmountsBeyondFloat, readOrdersColumns } from "./orders-columns";
import { OrdersCsvError, checkHeader, formatAmount, parseOrderLine } from "./orders-csv";
import { DEFAULT_RULES } from "./segments";
import { DEFAULT_FREQUENCY_THRESHOLDS } from "./settings";

/**
 * The CLI's columnar reader against the line-by-line path it replaced
 * (readline → parseOrderLine → CustomerValuesAccumulator → scoreCustomers):
 * same customers in the same order, same values, scores, segments, counts
 * and, for bad input, the same error naming the same line.
 */

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The bytes in pieces of random sizes, so lines and \r\n pairs straddle chunk ends. */
async function* pieces(text: string, random: () => number, largest: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text, "utf8");
  for (let at = 0; at < bytes.length;) {
    const size = 1 + Math.floor(random() * largest);
    yield Buffer.from(bytes.subarray(at, at + size));
    at += size;
  }
}

async function lineByLine(text: string, asOfDay: number, windowMonths: number | null) {
  const acc = new CustomerValuesAccumulator(asOfDay, windowMonths);
  let line = 0;
  const input = Readable.from([Buffer.from(text, "utf8")]);
  for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    if (line === 1) checkHeader(raw);
    else acc.add(parseOrderLine(raw, line));
  }
  if (line === 0) throw new OrdersCsvError(1, "the file is empty (no header)");
  return { values: acc.values(), counts: acc.counts, lines: line };
}

const options = (asOfDay: number, scale: 4 | 5, frequencyMode: "rank" | "thresholds"): ScoreOptions => ({
  asOfDay,
  scale,
  frequencyMode,
  frequencyThresholds: DEFAULT_FREQUENCY_THRESHOLDS[scale],
  rules: DEFAULT_RULES[scale],
});

async function expectSameScores(
  text: string,
  random: () => number,
  o: { asOfDay: number; windowMonths: number | null; scale: 4 | 5; frequencyMode: "rank" | "thresholds" },
  largestPiece = 64,
) {
  const want = await lineByLine(text, o.asOfDay, o.windowMonths);
  const expected = scoreCustomers(want.values, options(o.asOfDay, o.scale, o.frequencyMode)).scored;
  const beyondFloat = want.values.some(
    (c) => c.monetary > BigInt(Number.MAX_SAFE_INTEGER) || c.monetary < -BigInt(Number.MAX_SAFE_INTEGER),
  );
  for (const money of ["float", "exact"] as const) {
    const reading = readOrdersColumns(pieces(text, random, largestPiece), o.asOfDay, o.windowMonths, money);
    if (money === "float" && beyondFloat) {
      await expect(reading).rejects.toThrow(AmountsBeyondFloat);
      continue;
    }
    const got = await reading;
    expect(got.lines).toBe(want.lines);
    expect(got.counts).toEqual(want.counts);
    expect(got.customers).toBe(expected.length);
    const s = scoreColumns(got, options(o.asOfDay, o.scale, o.frequencyMode));
    const actual = Array.from({ length: got.customers }, (_, i) => ({
      customerId: got.customerId(i),
      lastOrderDay: got.lastOrderDay[i],
      frequency: got.frequency[i],
      monetary: formatAmount(got.monetary[i] as number | bigint),
      recencyDays: s.recencyDays[i],
      r: s.r[i],
      f: s.f[i],
      m: s.m[i],
      segment: s.segments[i],
    }));
    // The first differences only: a diff of 100 000 objects would take minutes.
    const wanted = expected.map((c) => JSON.stringify({ ...c, monetary: formatAmount(c.monetary) }));
    const differences = actual
      .map((c) => JSON.stringify(c))
      .flatMap((c, i) => (c === wanted[i] ? [] : [{ got: c, want: wanted[i] }]));
    expect(differences.slice(0, 3)).toEqual([]);
  }
}

describe("readOrdersColumns (the CLI's fast path) = the line-by-line engine", () => {
  it("PROPERTY: on random files with ties, quoting, timestamps, odd amounts and mixed line ends, every customer scores the same", async () => {
    const random = rng(16);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
    const asOf = "2024-06-30";
    const asOfDay = epochDay(asOf);
    for (let file = 0; file < 60; file++) {
      const customers = 1 + Math.floor(random() * 40);
      const ids = Array.from({ length: customers }, (_, i) =>
        pick([`${1000 + i}`, `c${i}`, `"q,${i}"`, `"say ""${i}"""`, ` ${i}pad `, `kü${i}`]),
      );
      const lines = ["customer_id,order_date,amount"];
      const orders = Math.floor(random() * 120);
      for (let k = 0; k < orders; k++) {
        const day = isoDay(asOfDay - 400 + Math.floor(random() * 430));
        const date = pick([day, day, day, `${day}T23:30:00-02:00`, `${day} 10:00:00`, `${day}T00:15:00+01:00`]);
        // 11 whole digits is the byte parser's limit; longer goes through parseOrderLine.
        const amount = pick([
          "5",
          "5.00",
          "10.5",
          "-3.25",
          "0",
          "-0",
          "12.3456",
          "007.10",
          "12345678901.5",
          "0000000000012.5",
          "123456789012",
          "20",
        ]);
        lines.push(`${pick(ids)},${date},${amount}`);
      }
      const ends = lines.map(() => pick(["\n", "\n", "\r\n", "\r"]));
      // A lone \r ends a line too (readline); the last line may have no line end.
      const text = lines.map((l, i) => `${l}${i === lines.length - 1 && random() < 0.3 ? "" : ends[i]}`).join("");
      const o = {
        asOfDay: asOfDay - Math.floor(random() * 30),
        windowMonths: pick([null, 1, 3, 12]),
        scale: pick([4, 5] as const),
        frequencyMode: pick(["rank", "thresholds"] as const),
      };
      await expectSameScores(text, random, o, pick([1, 7, 64, 4096]));
    }
  });

  it("GIVEN 100 000 customers (the index and columns grow and rehash) in shuffled order THEN every customer scores the same", async () => {
    const random = rng(3);
    const rows = ["customer_id,order_date,amount"];
    const asOfDay = epochDay("2026-11-30");
    for (let c = 0; c < 100_000; c++) {
      const n = 1 + Math.floor(random() ** 4 * 6);
      for (let k = 0; k < n; k++) {
        const cents = 500 + Math.floor(random() ** 3 * 5_000);
        rows.push(`${(c * 7919) % 1_000_003},${isoDay(asOfDay - Math.floor(random() * 700))},${cents / 100}`);
      }
    }
    const header = rows.shift() as string;
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [rows[i], rows[j]] = [rows[j] as string, rows[i] as string];
    }
    const text = `${header}\n${rows.join("\n")}\n`;
    await expectSameScores(text, random, { asOfDay, windowMonths: null, scale: 5, frequencyMode: "rank" }, 1 << 20);
  }, 60_000);

  it("GIVEN sums past 2^53 money units THEN float mode refuses and exact mode sums exactly", async () => {
    const text = "customer_id,order_date,amount\na,2024-01-01,99999999999999.9999\na,2024-01-02,99999999999999.9999\n";
    const asOfDay = epochDay("2024-06-01");
    await expect(readOrdersColumns(pieces(text, Math.random, 16), asOfDay, null, "float")).rejects.toThrow(
      AmountsBeyondFloat,
    );
    const exact = await readOrdersColumns(pieces(text, Math.random, 16), asOfDay, null, "exact");
    expect(formatAmount(exact.monetary[0] as bigint)).toBe("199999999999999.9998");
  });
});

describe("readOrdersColumns with bad rows", () => {
  const good = Array.from({ length: 3000 }, (_, i) => `${i % 700},2024-0${1 + (i % 9)}-1${i % 10},${i % 97}.5`);
  const cases: [string, string, RegExp][] = [
    ["not a calendar date", "7,2024-02-30,5", /not a calendar date/],
    ["month 13", "7,2024-13-01,5", /not a calendar date/],
    ["five decimals", "7,2024-01-01,5.12345", /at most 4 decimals/],
    ["four fields", "7,2024-01-01,12,50", /expected 3 fields/],
    ["empty line", "", /empty line/],
    ["blank line", "   ", /empty line/],
    ["no customer", ",2024-01-01,5", /customer_id is empty/],
    ["unbalanced quotes", '"7,2024-01-01,5', /unbalanced quotes/],
    ["a word for a date", "7,yesterday,5", /neither YYYY-MM-DD nor an ISO timestamp/],
    ["a trailing dot", "7,2024-01-01,5.", /not a decimal number/],
    ["a 256-character id", `${"x".repeat(256)},2024-01-01,5`, /longer than 255 characters/],
  ];
  for (const [name, bad, message] of cases)
    for (const ending of ["\n", "\r\n"])
      it(`GIVEN ${name} on line 2 502 (${JSON.stringify(ending)} line ends) THEN the same error as the line-by-line path`, async () => {
        const lines = ["customer_id,order_date,amount", ...good.slice(0, 2500), bad, ...good.slice(2500)];
        const text = lines.join(ending) + ending;
        const asOfDay = epochDay("2024-12-31");
        const want = await lineByLine(text, asOfDay, null).catch((e: unknown) => e);
        expect(want).toBeInstanceOf(OrdersCsvError);
        expect((want as OrdersCsvError).message).toMatch(message);
        expect((want as OrdersCsvError).line).toBe(2502);
        const got = await readOrdersColumns(pieces(text, rng(1), 1000), asOfDay, null, "float").catch(
          (e: unknown) => e,
        );
        expect(got).toBeInstanceOf(OrdersCsvError);
        expect((got as OrdersCsvError).message).toBe((want as OrdersCsvError).message);
      });

  it("GIVEN a wrong header, an empty file or a lone \\r before the bad line THEN the same errors and line numbers", async () => {
    const asOfDay = epochDay("2024-12-31");
    for (const text of [
      "id,date,value\n1,2024-01-01,5\n",
      "",
      "\n",
      "customer_id,order_date,amount\r1,2024-01-01,5\r2,2024-01-01,x\n",
      "\uFEFFcustomer_id,order_date,amount\n1,2024-01-01,5\n\r",
    ]) {
      const want = await lineByLine(text, asOfDay, null).catch((e: unknown) => e);
      const got = await readOrdersColumns(pieces(text, rng(2), 3), asOfDay, null, "float").catch((e: unknown) => e);
      expect(want).toBeInstanceOf(OrdersCsvError);
      expect(got).toEqual(want);
      expect((got as Error).message).toBe((want as Error).message);
    }
  });
});
