import type { Cutoff } from "../../domain/rfm/scores";

export type Dimension = "r" | "f" | "m";

/** Formats a net-spend amount (decimal string) in the shop's currency. */
type MoneyFormat = (amount: string) => string;

const range = (lo: string, hi: string) => (lo === hi ? lo : `${lo}–${hi}`);

/**
 * One sentence per score, from the run's cut-offs: what range of values the
 * score covers and how many customers share it. Every score explains itself.
 */
export function explainScore(
  dimension: Dimension,
  score: number,
  cutoffs: readonly Cutoff<number | string>[],
  language: "en" | "nl",
  money: MoneyFormat = (a) => a,
): string {
  const c = cutoffs.find((x) => x.score === score);
  if (!c)
    return language === "nl"
      ? `${dimension.toUpperCase()} ${score}: geen klanten bij deze scoreronde`
      : `${dimension.toUpperCase()} ${score}: no customers in this run`;
  const total = cutoffs.reduce((n, x) => n + x.customers, 0);
  const share = total > 0 ? Math.round((c.customers / total) * 100) : 0;
  const lo = String(c.min);
  const hi = String(c.max);
  const label = `${dimension.toUpperCase()} ${score}`;
  if (language === "nl") {
    const what =
      dimension === "r"
        ? `laatste bestelling ${range(lo, hi)} dagen geleden`
        : dimension === "f"
          ? `${range(lo, hi)} bestelling${hi === "1" ? "" : "en"}`
          : `netto besteed ${lo === hi ? money(lo) : `${money(lo)}–${money(hi)}`}`;
    return `${label}: ${what} (${share}% van de klanten)`;
  }
  const what =
    dimension === "r"
      ? `last order ${range(lo, hi)} day${hi === "1" ? "" : "s"} ago`
      : dimension === "f"
        ? `${range(lo, hi)} order${hi === "1" ? "" : "s"}`
        : `net spend ${lo === hi ? money(lo) : `${money(lo)}–${money(hi)}`}`;
  return `${label}: ${what} (${share}% of customers)`;
}
