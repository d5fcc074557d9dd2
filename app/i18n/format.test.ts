import { describe, expect, it } from "vitest";
import { formatters } from "./format";
import { explainScore } from "./rfm/explain";

describe("percentages, one way", () => {
  it("GIVEN English and Dutch admins THEN a percentage is written as Intl writes it, and the score sentences write it the same way", () => {
    const cutoffs = [
      { score: 1, min: 200, max: 700, customers: 58 },
      { score: 2, min: 0, max: 199, customers: 42 },
    ];
    for (const [locale, language] of [
      ["en-US", "en"],
      ["en-GB", "en"],
      ["nl-NL", "nl"],
    ] as const) {
      const fmt = formatters(locale, "EUR", "Europe/Amsterdam");
      expect(fmt.percent(0.42)).toBe("42%");
      expect(fmt.percent(0.425, 1)).toMatch(/^42[.,]5%$/);
      expect(explainScore("r", 2, cutoffs, language)).toContain(`(${fmt.percent(0.42)} `);
    }
  });
});
