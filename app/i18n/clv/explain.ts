import type { HistoryFacts } from "../../domain/clv/explain";
import type { PredictionReason } from "../../domain/clv/sufficiency";
import { MIN_REPEAT_CUSTOMERS } from "../../domain/clv/sufficiency";
import type { Formatters } from "../format";

/**
 * One sentence per prediction, in the admin's language: P(alive) from the
 * customer's order history, the expected orders, the 12-month value as
 * orders × order value. No gendered pronouns: "this customer" / "deze klant".
 */

type Language = "en" | "nl";

/** Expected orders as said: one decimal, two below 1 ("0.04", not "0"). */
export const ordersFigure = (expected: number, fmt: Formatters) =>
  fmt.number(expected < 1 ? Math.round(expected * 100) / 100 : Math.round(expected * 10) / 10);

const plural = (n: number, one: string, other: string) => `${n} ${n === 1 ? one : other}`;
/** "an 80% chance", "an 11% chance", "a 38% chance": the article follows how the number is said. */
const a = (percent: string) => (/^(8\d?|11|18)(\D|$)/.test(percent) ? `an ${percent}` : `a ${percent}`);

function historyClause(f: HistoryFacts, language: Language): string {
  if (language === "nl") {
    const orders = plural(f.orders, "bestelling", "bestellingen");
    const span = plural(f.months, "maand", "maanden");
    const recent =
      f.monthsSinceLast >= 1
        ? `geen in de laatste ${f.monthsSinceLast === 1 ? "maand" : plural(f.monthsSinceLast, "maand", "maanden")}`
        : `de laatste ${plural(f.daysSinceLast, "dag", "dagen")} geleden`;
    return f.orders === 1 ? `1 bestelling, ${span} geleden` : `${orders} in ${span} en ${recent}`;
  }
  const orders = plural(f.orders, "order", "orders");
  const span = plural(f.months, "month", "months");
  const recent =
    f.monthsSinceLast >= 1
      ? `none in the last ${f.monthsSinceLast === 1 ? "month" : plural(f.monthsSinceLast, "month", "months")}`
      : `the last one ${plural(f.daysSinceLast, "day", "days")} ago`;
  return f.orders === 1 ? `1 order, ${span} ago` : `${orders} in ${span} and ${recent}`;
}

export function explainPAlive(pAlive: number, f: HistoryFacts, language: Language, fmt: Formatters): string {
  const p = fmt.percent(pAlive);
  if (language === "nl")
    return f.orders === 1
      ? `Met ${historyClause(f, language)}, is er ${p} kans dat deze klant nog eens bij je koopt.`
      : `Met ${historyClause(f, language)}, is er ${p} kans dat deze klant nog bij je koopt.`;
  return f.orders === 1
    ? `Given ${historyClause(f, language)}, there is ${a(p)} chance this customer buys from you again.`
    : `Given ${historyClause(f, language)}, there is ${a(p)} chance this customer still buys from you.`;
}

export function explainExpectedOrders(expected: number, pAlive: number, language: Language, fmt: Formatters): string {
  const n = ordersFigure(expected, fmt);
  const p = fmt.percent(pAlive);
  return language === "nl"
    ? `Bij het tempo van deze klant en ${p} kans dat die nog koopt, verwachten we ongeveer ${n} bestellingen in de komende 12 maanden.`
    : `At this customer's pace, and with ${a(p)} chance of still buying, about ${n} orders are expected in the next 12 months.`;
}

export function explainPredictedValue(
  value: number,
  expectedOrders: number,
  averageValue: number,
  annualDiscountRate: number,
  language: Language,
  fmt: Formatters,
): string {
  const n = ordersFigure(expectedOrders, fmt);
  // As the merchant set it (12.5%), not rounded to a whole percent.
  const rate = fmt.percent(annualDiscountRate, 2);
  return language === "nl"
    ? `${fmt.money(value)} in de komende 12 maanden: ongeveer ${n} bestellingen van gemiddeld ${fmt.money(averageValue)}, met ${rate} rente per jaar teruggerekend naar vandaag.`
    : `${fmt.money(value)} over the next 12 months: about ${n} orders of ${fmt.money(averageValue)} on average, discounted to today at ${rate} a year.`;
}

/** Why there are no predictions, in one plain sentence (no numbers about the customer). */
export function explainNoPredictions(reason: PredictionReason | "not_run", language: Language): string {
  const nl: Record<PredictionReason | "not_run", string> = {
    not_run: "Nog geen voorspellingen: die worden gemaakt na de eerste volledige scoreronde.",
    too_few_repeat_customers: `Geen voorspellingen: minder dan ${MIN_REPEAT_CUSTOMERS} klanten hebben meer dan één keer besteld, te weinig om van te leren.`,
    history_too_short: "Geen voorspellingen: de bestelgeschiedenis van de winkel is korter dan drie maanden.",
    not_converged: "Geen voorspellingen: het model kwam voor de gegevens van deze winkel niet tot één uitkomst.",
  };
  const en: Record<PredictionReason | "not_run", string> = {
    not_run: "No predictions yet: they are made after the first full scoring run.",
    too_few_repeat_customers: `No predictions: fewer than ${MIN_REPEAT_CUSTOMERS} customers have ordered more than once, too few to learn from.`,
    history_too_short: "No predictions: the shop's order history is shorter than three months.",
    not_converged: "No predictions: the model did not settle on one answer for this shop's data.",
  };
  return (language === "nl" ? nl : en)[reason];
}
