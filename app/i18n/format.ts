/** Number, money, percent and date formatting for a shop's currency and time zone in the admin's locale. */
export interface Formatters {
  number: (n: number) => string;
  money: (amount: string | number) => string;
  /** Whole units, for tight spaces: "€1,235". */
  moneyShort: (amount: string | number) => string;
  /** 0.42 → "42%" / "42 %" as the locale writes it. */
  percent: (fraction: number, digits?: number) => string;
  /** A calendar date "YYYY-MM-DD" (no time zone: it is already the shop's local date). */
  date: (isoDate: string) => string;
  /** The shop-local calendar day of an instant. */
  day: (instant: string | Date) => string;
  /** An instant, shown in the shop's time zone. */
  dateTime: (instant: string | Date) => string;
  /** Signed whole number: "+12", "−3", "0". */
  change: (n: number) => string;
}

export function formatters(formatLocale: string, currency: string | null, timeZone: string | null): Formatters {
  const number = new Intl.NumberFormat(formatLocale);
  const money = new Intl.NumberFormat(formatLocale, { style: "currency", currency: currency ?? "EUR" });
  const moneyShort = new Intl.NumberFormat(formatLocale, {
    style: "currency",
    currency: currency ?? "EUR",
    maximumFractionDigits: 0,
    minimumFractionDigits: 0,
  });
  const percents = new Map<number, Intl.NumberFormat>();
  const percentOf = (digits: number) => {
    let f = percents.get(digits);
    if (!f)
      percents.set(
        digits,
        (f = new Intl.NumberFormat(formatLocale, {
          style: "percent",
          maximumFractionDigits: digits,
          minimumFractionDigits: 0,
        })),
      );
    return f;
  };
  const date = new Intl.DateTimeFormat(formatLocale, {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
  const dateTime = new Intl.DateTimeFormat(formatLocale, {
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: timeZone ?? "UTC",
  });
  const day = new Intl.DateTimeFormat(formatLocale, {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: timeZone ?? "UTC",
  });
  const signed = new Intl.NumberFormat(formatLocale, { signDisplay: "exceptZero" });
  return {
    number: (n) => number.format(n),
    money: (amount) => money.format(Number(amount)),
    moneyShort: (amount) => moneyShort.format(Number(amount)),
    percent: (fraction, digits = 0) => percentOf(digits).format(fraction),
    date: (iso) => date.format(new Date(`${iso.slice(0, 10)}T00:00:00Z`)),
    day: (instant) => day.format(typeof instant === "string" ? new Date(instant) : instant),
    dateTime: (instant) => dateTime.format(typeof instant === "string" ? new Date(instant) : instant),
    change: (n) => signed.format(n),
  };
}
