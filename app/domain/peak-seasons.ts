import { z } from "zod";

/**
 * Peak seasons for "first order in a peak season". Moving feasts are rules,
 * not dates: Black Friday is the day after the fourth Thursday of November
 * (through Cyber Monday), Mother's Day the second Sunday of May (NL, US, …).
 */
export const PeakSeason = z.discriminatedUnion("kind", [
  z.object({
    key: z.string().regex(/^[a-z0-9_]{1,40}$/),
    kind: z.literal("black_friday"),
    days: z.number().int().min(1).max(14).default(4),
  }),
  z.object({
    key: z.string().regex(/^[a-z0-9_]{1,40}$/),
    kind: z.literal("mothers_day"),
    daysBefore: z.number().int().min(0).max(31).default(7),
  }),
  z.object({
    key: z.string().regex(/^[a-z0-9_]{1,40}$/),
    kind: z.literal("fixed"),
    from: z.string().regex(/^\d{2}-\d{2}$/),
    to: z.string().regex(/^\d{2}-\d{2}$/),
  }),
]);
export type PeakSeason = z.infer<typeof PeakSeason>;

export const DEFAULT_PEAK_SEASONS: PeakSeason[] = [
  { key: "black_friday", kind: "black_friday", days: 4 },
  { key: "christmas", kind: "fixed", from: "12-01", to: "12-24" },
  { key: "mothers_day", kind: "mothers_day", daysBefore: 7 },
];

export interface PeakRange {
  key: string;
  /** Inclusive local calendar dates, YYYY-MM-DD. */
  start: string;
  end: string;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
const DAY = 86_400_000;

function nthWeekday(year: number, month: number, weekday: number, n: number): Date {
  const first = new Date(Date.UTC(year, month, 1));
  const offset = (weekday - first.getUTCDay() + 7) % 7;
  return new Date(Date.UTC(year, month, 1 + offset + (n - 1) * 7));
}

/** The concrete date ranges of each season in the given years. */
export function peakRanges(seasons: PeakSeason[], fromYear: number, toYear: number): PeakRange[] {
  const ranges: PeakRange[] = [];
  for (let year = fromYear; year <= toYear; year++) {
    for (const season of seasons) {
      if (season.kind === "black_friday") {
        const friday = new Date(nthWeekday(year, 10, 4, 4).getTime() + DAY);
        ranges.push({
          key: season.key,
          start: iso(friday),
          end: iso(new Date(friday.getTime() + (season.days - 1) * DAY)),
        });
      } else if (season.kind === "mothers_day") {
        const sunday = nthWeekday(year, 4, 0, 2);
        ranges.push({
          key: season.key,
          start: iso(new Date(sunday.getTime() - season.daysBefore * DAY)),
          end: iso(sunday),
        });
      } else if (season.from <= season.to) {
        ranges.push({ key: season.key, start: `${year}-${season.from}`, end: `${year}-${season.to}` });
      } else {
        // Wraps the new year (e.g. 12-26 → 01-06): belongs to the year it starts in.
        ranges.push({ key: season.key, start: `${year}-${season.from}`, end: `${year + 1}-${season.to}` });
      }
    }
  }
  return ranges;
}
