import { describe, expect, it } from "vitest";
import { historyFacts } from "../../domain/clv/explain";
import { epochDay } from "../../domain/rfm/dates";
import { formatters } from "../format";
import { explainExpectedOrders, explainNoPredictions, explainPAlive, explainPredictedValue } from "./explain";

const AS_OF = epochDay("2026-11-20");
const en = formatters("en-US", "EUR", null);
const nl = formatters("nl-NL", "EUR", null);

describe("prediction sentences", () => {
  it("GIVEN 4 orders over 14 months and none in the last 5 THEN the P(alive) sentence says exactly that", () => {
    const facts = historyFacts(4, AS_OF - 426, AS_OF - 155, AS_OF);
    expect(facts).toEqual({ orders: 4, months: 14, monthsSinceLast: 5, daysSinceLast: 155 });
    expect(explainPAlive(0.38, facts, "en", en)).toBe(
      "Given 4 orders in 14 months and none in the last 5 months, there is a 38% chance this customer still buys from you.",
    );
    expect(explainPAlive(0.38, facts, "nl", nl)).toBe(
      "Met 4 bestellingen in 14 maanden en geen in de laatste 5 maanden, is er 38% kans dat deze klant nog bij je koopt.",
    );
  });

  it("GIVEN a last order within the month THEN days are said; GIVEN one order THEN 'again'", () => {
    const recent = historyFacts(2, AS_OF - 100, AS_OF - 12, AS_OF);
    expect(explainPAlive(0.9, recent, "en", en)).toBe(
      "Given 2 orders in 3 months and the last one 12 days ago, there is a 90% chance this customer still buys from you.",
    );
    const once = historyFacts(1, AS_OF - 61, AS_OF - 61, AS_OF);
    expect(explainPAlive(0.5, once, "en", en)).toBe(
      "Given 1 order, 2 months ago, there is a 50% chance this customer buys from you again.",
    );
    expect(explainPAlive(0.5, once, "nl", nl)).toBe(
      "Met 1 bestelling, 2 maanden geleden, is er 50% kans dat deze klant nog eens bij je koopt.",
    );
  });

  it("GIVEN expected orders and value THEN one sentence each, value as orders × average order", () => {
    expect(explainExpectedOrders(1.234, 0.8, "en", en)).toBe(
      "At this customer's pace, and with an 80% chance of still buying, about 1.2 orders are expected in the next 12 months.",
    );
    expect(explainPredictedValue(85.5, 1.234, 71.25, 0.1, "en", en)).toBe(
      "€85.50 over the next 12 months: about 1.2 orders of €71.25 on average, discounted to today at 10% a year.",
    );
    expect(explainPredictedValue(85.5, 1.234, 71.25, 0.1, "nl", nl)).toContain("ongeveer 1,2 bestellingen");
    // Below one order the figure keeps two decimals: never "about 0 orders".
    expect(explainExpectedOrders(0.0437, 0.07, "nl", nl)).toContain("ongeveer 0,04 bestellingen");
  });

  it("GIVEN no predictions THEN one plain sentence why, in both languages, without numbers about the customer", () => {
    for (const reason of ["not_run", "too_few_repeat_customers", "history_too_short", "not_converged"] as const) {
      expect(explainNoPredictions(reason, "en")).toMatch(/^No predictions/);
      expect(explainNoPredictions(reason, "nl")).toMatch(/^(Nog geen|Geen) voorspellingen/);
    }
    expect(explainNoPredictions("too_few_repeat_customers", "en")).toContain("fewer than 50 customers");
  });
});
