/**
 * A day of the year ("MM-DD", as peak seasons store it) shown and typed the
 * way the admin's locale writes a date: 01-12 in Dutch, 12/01 in American
 * English, 01/12 in British English; month names ("1 december", "Dec 1") are
 * read too. Storage stays MM-DD whatever the merchant types.
 */
export interface DayMonthStyle {
  /** Which comes first when written as numbers. */
  order: "dm" | "md";
  /** The locale's separator between day and month ("-", "/", "."). */
  separator: string;
}

const SAMPLE = new Date(Date.UTC(2024, 11, 1));

export function dayMonthStyle(formatLocale: string): DayMonthStyle {
  const parts = new Intl.DateTimeFormat(formatLocale, {
    day: "2-digit",
    month: "2-digit",
    timeZone: "UTC",
  }).formatToParts(SAMPLE);
  const day = parts.findIndex((p) => p.type === "day");
  const month = parts.findIndex((p) => p.type === "month");
  const literal = parts.find((p) => p.type === "literal")?.value.trim() || "-";
  return { order: day < month ? "dm" : "md", separator: literal };
}

/** Days in each month; 29 February is a day of the year (it recurs in leap years). */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const pad = (n: number) => String(n).padStart(2, "0");

function valid(month: number, day: number): string | null {
  if (!Number.isInteger(month) || !Number.isInteger(day) || month < 1 || month > 12) return null;
  if (day < 1 || day > (MONTH_DAYS[month - 1] ?? 0)) return null;
  return `${pad(month)}-${pad(day)}`;
}

/** "12-01" → "01-12" (nl), "12/01" (en-US); anything that is not MM-DD comes back as it is. */
export function formatDayMonth(mmdd: string, formatLocale: string): string {
  const m = /^(\d{2})-(\d{2})$/.exec(mmdd);
  if (!m) return mmdd;
  const { order, separator } = dayMonthStyle(formatLocale);
  const [, month, day] = m;
  return order === "dm" ? `${day}${separator}${month}` : `${month}${separator}${day}`;
}

const normalise = (s: string) =>
  s
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f.]/g, "");

/** Month names (long and short) in the locale and in English, to month number. */
function monthNames(formatLocale: string): Map<string, number> {
  const names = new Map<string, number>();
  for (const locale of [formatLocale, "en-US"])
    for (const width of ["long", "short"] as const) {
      const f = new Intl.DateTimeFormat(locale, { month: width, timeZone: "UTC" });
      for (let m = 0; m < 12; m++) names.set(normalise(f.format(new Date(Date.UTC(2024, m, 1)))), m + 1);
    }
  // Abbreviations people type that Intl spells differently ("mrt", "sept", "mei").
  for (const [name, m] of [
    ["mrt", 3],
    ["sept", 9],
    ["okt", 10],
  ] as const)
    names.set(name, m);
  return names;
}

/**
 * What the merchant typed → "MM-DD", or null when it is not a day of the
 * year. Numbers follow the locale's order (nl: day first); with a month name
 * either order works.
 */
export function parseDayMonth(text: string, formatLocale: string): string | null {
  const s = text.trim();
  const numeric = /^(\d{1,2})\s*[-/.\s]\s*(\d{1,2})$/.exec(s);
  if (numeric) {
    const a = Number(numeric[1]);
    const b = Number(numeric[2]);
    return dayMonthStyle(formatLocale).order === "dm" ? valid(b, a) : valid(a, b);
  }
  const named =
    /^(\d{1,2})(?:e|st|nd|rd|th)?\s*[-/.\s]?\s*(\p{L}[\p{L}.]*)$|^(\p{L}[\p{L}.]*)\s*[-/.\s]?\s*(\d{1,2})(?:e|st|nd|rd|th)?$/u.exec(
      s,
    );
  if (!named) return null;
  const day = Number(named[1] ?? named[4]);
  const month = monthNames(formatLocale).get(normalise(named[2] ?? named[3] ?? ""));
  return month === undefined ? null : valid(month, day);
}
