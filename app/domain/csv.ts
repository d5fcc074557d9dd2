/**
 * CSV as a spreadsheet opens it. Excel reads a file in the separator and
 * decimal mark of the computer's region: a Dutch Excel splits on ";" and
 * reads "12,50", and it only takes UTF-8 (names with é, ß, ł) from a file
 * that starts with a byte order mark. The writer is generic over columns.
 */
export interface CsvDialect {
  separator: "," | ";";
  decimalMark: "." | ",";
  /** Start the file with U+FEFF so Excel reads it as UTF-8. */
  bom: boolean;
}

/** English regions: comma-separated, decimal point. */
export const CSV_COMMA: CsvDialect = { separator: ",", decimalMark: ".", bom: true };
/** Dutch (and most of continental Europe): semicolon-separated, decimal comma. */
export const CSV_SEMICOLON: CsvDialect = { separator: ";", decimalMark: ",", bom: true };

/** An amount as a decimal string ("123.5", "-4.1250"), written with two decimals. */
export interface CsvAmount {
  amount: string;
}

export type CsvCell = string | number | CsvAmount | null;

export interface CsvColumn<Row> {
  header: string;
  cell: (row: Row) => CsvCell;
}

/** Rounds a decimal string half away from zero to two decimals, exactly (no float). */
export function twoDecimals(amount: string): string {
  const m = /^\s*(-)?(\d*)(?:\.(\d*))?\s*$/.exec(amount);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) throw new Error(`Not an amount: ${JSON.stringify(amount)}`);
  const fraction = (m[3] ?? "").padEnd(3, "0");
  let cents = BigInt(m[2] || "0") * 100n + BigInt(fraction.slice(0, 2));
  if (Number(fraction[2]) >= 5) cents += 1n;
  const whole = cents / 100n;
  const rest = String(cents % 100n).padStart(2, "0");
  return `${m[1] && cents > 0n ? "-" : ""}${whole}.${rest}`;
}

/** A spreadsheet must not run a cell as a formula (a customer named "=HYPERLINK(…)"). */
const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(value: CsvCell, dialect: CsvDialect): string {
  if (value === null) return "";
  let s: string;
  if (typeof value === "object") {
    s = twoDecimals(value.amount);
    if (dialect.decimalMark === ",") s = s.replace(".", ",");
  } else if (typeof value === "number") {
    s = String(value);
    if (dialect.decimalMark === ",") s = s.replace(".", ",");
  } else {
    s = FORMULA.test(value) ? `'${value}` : value;
  }
  return s.includes(dialect.separator) || /["\n\r']/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: readonly CsvCell[], dialect: CsvDialect): string {
  return `${cells.map((c) => csvCell(c, dialect)).join(dialect.separator)}\r\n`;
}

/** The file's start: the byte order mark (if any) and the header line. */
export function csvStart<Row>(columns: readonly CsvColumn<Row>[], dialect: CsvDialect): string {
  return `${dialect.bom ? "\uFEFF" : ""}${csvLine(
    columns.map((c) => c.header),
    dialect,
  )}`;
}

/** Rows after the header, each line ending in CRLF (RFC 4180). */
export function csvRows<Row>(rows: readonly Row[], columns: readonly CsvColumn<Row>[], dialect: CsvDialect): string {
  return rows
    .map((row) =>
      csvLine(
        columns.map((c) => c.cell(row)),
        dialect,
      ),
    )
    .join("");
}
