import { epochDay } from "./dates";
import type { OrderRow } from "./engine";

/** The scorer's input format: one row per counted order. */
export const ORDERS_CSV_HEADER = "customer_id,order_date,amount";
export const SCORES_CSV_HEADER = "customer_id,recency_days,frequency,monetary,r,f,m,segment";

export class OrdersCsvError extends Error {
  constructor(
    readonly line: number,
    problem: string,
  ) {
    super(`line ${line}: ${problem}`);
  }
}

/** Splits one CSV record (RFC 4180 quoting, no embedded newlines). */
export function splitCsv(line: string): string[] | null {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return null;
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      fields.push(value);
      if (i === line.length) return fields;
      if (line[i] !== ",") return null;
      i++;
    } else {
      const comma = line.indexOf(",", i);
      if (comma < 0) {
        fields.push(line.slice(i));
        return fields;
      }
      fields.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
}

const DATE = /^(\d{4}-\d{2}-\d{2})$/;
// ISO 8601 / RFC 3339 date-time; without an offset it is UTC.
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const AMOUNT = /^-?\d{1,14}(\.\d{1,4})?$/;

function orderDay(text: string, line: number): number {
  const plain = DATE.exec(text);
  if (plain) {
    try {
      return epochDay(plain[1] as string);
    } catch {
      throw new OrdersCsvError(line, `order_date ${JSON.stringify(text)} is not a calendar date`);
    }
  }
  const ts = TIMESTAMP.exec(text);
  if (!ts)
    throw new OrdersCsvError(line, `order_date ${JSON.stringify(text)} is neither YYYY-MM-DD nor an ISO timestamp`);
  const [, date, hh, mm, ss, zone] = ts;
  const offset = !zone || zone === "Z" ? "Z" : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const at = Date.parse(`${date}T${hh}:${mm}:${ss ?? "00"}${offset}`);
  if (Number.isNaN(at) || Number(hh) > 23 || Number(mm) > 59 || Number(ss ?? 0) > 59)
    throw new OrdersCsvError(line, `order_date ${JSON.stringify(text)} is not a valid time`);
  try {
    epochDay(date as string);
  } catch {
    throw new OrdersCsvError(line, `order_date ${JSON.stringify(text)} is not a calendar date`);
  }
  return Math.floor(at / 86_400_000);
}

function amountOf(text: string, line: number): bigint {
  if (!AMOUNT.test(text))
    throw new OrdersCsvError(line, `amount ${JSON.stringify(text)} is not a decimal number with at most 4 decimals`);
  const negative = text.startsWith("-");
  const [whole, fraction = ""] = (negative ? text.slice(1) : text).split(".");
  const units = BigInt(whole as string) * 10_000n + BigInt(fraction.padEnd(4, "0"));
  return negative ? -units : units;
}

/** Checks the header line (a UTF-8 BOM and surrounding spaces are tolerated). */
export function checkHeader(line: string): void {
  const header = (splitCsv(line.replace(/^\uFEFF/, "").trimEnd()) ?? []).map((h) => h.trim().toLowerCase());
  if (header.join(",") !== ORDERS_CSV_HEADER)
    throw new OrdersCsvError(1, `header must be "${ORDERS_CSV_HEADER}", found ${JSON.stringify(line.slice(0, 120))}`);
}

/** One data line → an order row; any problem names the line and the field. */
export function parseOrderLine(raw: string, line: number): OrderRow {
  if (raw.trim() === "") throw new OrdersCsvError(line, "empty line");
  const fields = splitCsv(raw.trimEnd());
  if (!fields) throw new OrdersCsvError(line, "unbalanced quotes");
  if (fields.length !== 3)
    throw new OrdersCsvError(line, `expected 3 fields (${ORDERS_CSV_HEADER}), found ${fields.length}`);
  const [customerId, date, amount] = fields.map((f) => f.trim()) as [string, string, string];
  if (customerId === "") throw new OrdersCsvError(line, "customer_id is empty");
  if (customerId.length > 255) throw new OrdersCsvError(line, "customer_id is longer than 255 characters");
  return { customerId, day: orderDay(date, line), amount: amountOf(amount, line) };
}

/**
 * Money units (1e-4) as a decimal with at least 2 decimals: 12.5 → "12.50", 1.2345 → "1.2345".
 * Takes a bigint or a number that is an exact integer.
 */
export function formatAmount(units: bigint | number): string {
  const negative = units < 0;
  let whole: string;
  let fraction: string;
  if (typeof units === "bigint") {
    const abs = negative ? -units : units;
    whole = String(abs / 10_000n);
    fraction = String(abs % 10_000n);
  } else {
    const abs = Math.abs(units);
    const rest = abs % 10_000;
    // (abs − rest) / 10 000 is exact; abs / 10 000 rounded can reach the next whole near 2^53.
    whole = String((abs - rest) / 10_000);
    fraction = String(rest);
  }
  fraction = fraction.padStart(4, "0");
  while (fraction.length > 2 && fraction.endsWith("0")) fraction = fraction.slice(0, -1);
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

/** CSV field quoting for output. */
export function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
