import { describe, expect, it } from "vitest";
import { rankScores, scoreAgainstCutoffs, scoreFromRank, thresholdScore } from "./scores";
import {
  DEFAULT_RULES,
  RULE_SEGMENT_KEYS,
  SEGMENT_KEYS,
  ruleTableProblems,
  segmentOf,
  type SegmentKey,
} from "./segments";
import { DEFAULT_RFM_SETTINGS, RfmSettings } from "./settings";
import { PRESETS, segmentName } from "../../i18n/rfm/presets";
import { BEHAVIOUR_KEYS, inTopPercent } from "./behaviours";
import { epochDay, isoDay, minusMonths } from "./dates";
import { scoreCustomers, valuesFromOrders } from "./engine";
import { explainScore } from "../../i18n/rfm/explain";

describe("score rule 1 + floor(S × L / n)", () => {
  it("GIVEN ten distinct values WHEN ranked on 5 THEN two customers per score", () => {
    const { scores } = rankScores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "higher_is_better", 5);
    expect([...scores]).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });

  it("GIVEN ties THEN equal values get equal scores, L counting only strictly worse values", () => {
    // 6 customers with one order, 3 with two, 1 with nine: L = 0, 6, 9.
    const { scores, cutoffs } = rankScores([1, 1, 1, 1, 1, 1, 2, 2, 2, 9], "higher_is_better", 5);
    expect([...scores]).toEqual([1, 1, 1, 1, 1, 1, 4, 4, 4, 5]);
    expect(cutoffs).toEqual([
      { score: 1, min: 1, max: 1, customers: 6 },
      { score: 4, min: 2, max: 2, customers: 3 },
      { score: 5, min: 9, max: 9, customers: 1 },
    ]);
  });

  it("GIVEN recency in days THEN fewer days is better", () => {
    const { scores } = rankScores([0, 400, 30, 30], "lower_is_better", 4);
    // L: 0 days → 3 worse; 30 → 1 worse (400); 400 → 0.
    expect([...scores]).toEqual([1 + Math.floor((4 * 3) / 4), 1, 1 + Math.floor(4 / 4), 2]);
  });

  it("matches a brute-force count of strictly worse values on random data", () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const n of [1, 2, 3, 17, 200]) {
      const values = Array.from({ length: n }, () => BigInt(Math.floor(rand() * 20)));
      for (const scale of [4, 5] as const) {
        const { scores } = rankScores(values, "higher_is_better", scale);
        values.forEach((v, i) => {
          const worse = values.filter((w) => w < v).length;
          expect(scores[i]).toBe(scoreFromRank(worse, n, scale));
        });
      }
    }
  });

  it("rejects ranks outside the population", () => {
    expect(() => scoreFromRank(5, 5, 5)).toThrow(RangeError);
  });

  it("fixed F thresholds 1 / 2 / 3–4 / 5–9 / 10+", () => {
    const t = DEFAULT_RFM_SETTINGS.frequencyThresholds ?? [1, 2, 3, 5, 10];
    expect([1, 2, 3, 4, 5, 9, 10, 250].map((v) => thresholdScore(v, t))).toEqual([1, 2, 3, 3, 4, 4, 5, 5]);
  });

  it("a new value scored against a run's cut-offs lands in the range it reaches", () => {
    const m = rankScores([10n, 20n, 30n, 40n, 50n], "higher_is_better", 5).cutoffs;
    expect([5n, 10n, 25n, 50n, 999n].map((v) => scoreAgainstCutoffs(v, m, "higher_is_better"))).toEqual([
      1, 1, 2, 5, 5,
    ]);
    const r = rankScores([0, 10, 20, 30, 40], "lower_is_better", 5).cutoffs;
    expect([0, 5, 10, 35, 900].map((v) => scoreAgainstCutoffs(v, r, "lower_is_better"))).toEqual([5, 4, 4, 1, 1]);
  });
});

describe("rule table", () => {
  for (const scale of [4, 5] as const) {
    it(`GIVEN the default rules on ${scale} THEN every one of the ${scale ** 3} triples has a segment and every rule is reachable`, () => {
      expect(ruleTableProblems(DEFAULT_RULES[scale], scale)).toEqual([]);
      const seen = new Set<SegmentKey>();
      for (let r = 1; r <= scale; r++)
        for (let f = 1; f <= scale; f++)
          for (let m = 1; m <= scale; m++) {
            const s = segmentOf(DEFAULT_RULES[scale], r, f, m);
            expect(s, `R${r} F${f} M${m}`).not.toBeNull();
            seen.add(s as SegmentKey);
          }
      expect([...seen].sort()).toEqual([...RULE_SEGMENT_KEYS].sort());
    });
  }

  const top = 5;
  const seg = (r: number, f: number, m: number) => segmentOf(DEFAULT_RULES[5], r, f, m);
  it("follows the merchant-facing descriptions on the 5 scale", () => {
    // Champions: recent, often, most.
    expect(seg(top, top, top)).toBe("champions");
    expect(seg(4, 4, 4)).toBe("champions");
    // Loyal: regular, spend well, not top.
    expect(seg(3, 4, 4)).toBe("loyal");
    expect(seg(4, 3, 3)).toBe("loyal");
    // Potential loyalists: recent, more than once, spend little.
    expect(seg(5, 3, 1)).toBe("potential_loyalist");
    // New: very recent, first order.
    expect(seg(5, 1, 1)).toBe("new");
    expect(seg(5, 1, 5)).toBe("new");
    // Promising: recent, once or twice, above-average value.
    expect(seg(4, 1, 4)).toBe("promising");
    expect(seg(5, 2, 3)).toBe("promising");
    // Needs attention: middling recency, few orders, decent value.
    expect(seg(3, 2, 3)).toBe("needs_attention");
    // About to sleep: some time ago, low value, several orders.
    expect(seg(2, 4, 1)).toBe("about_to_sleep");
    expect(seg(3, 3, 2)).toBe("about_to_sleep");
    // At risk: often, high value, long ago.
    expect(seg(2, 5, 5)).toBe("at_risk");
    expect(seg(1, 4, 3)).toBe("at_risk");
    // Can't lose: very high value, gone a long time.
    expect(seg(1, 5, 5)).toBe("cant_lose");
    // Hibernating: low on everything.
    expect(seg(2, 1, 1)).toBe("hibernating");
    // Lost: gone longest.
    expect(seg(1, 1, 1)).toBe("lost");
    expect(seg(1, 2, 5)).toBe("lost");
  });

  it("an edited table that leaves a triple uncovered is refused, naming the gap", () => {
    const edited = DEFAULT_RULES[5].filter((r) => r.segment !== "hibernating");
    const result = RfmSettings.safeParse({ rules: edited });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(
      "No rule covers 4 score combination(s) (RFM): 211, 212, 221, 222",
    );
  });

  it("an edited table with a rule beyond the scale or an unreachable rule is refused", () => {
    expect(RfmSettings.safeParse({ scale: 4, rules: DEFAULT_RULES[5] }).success).toBe(false);
    const unreachable = [
      ...DEFAULT_RULES[5],
      {
        segment: "loyal" as const,
        r: [1, 1] as [number, number],
        f: [1, 1] as [number, number],
        m: [1, 1] as [number, number],
      },
    ];
    expect(ruleTableProblems(unreachable, 5)).toEqual([
      "Rule 14 (loyal) never matches: earlier rules take all its combinations",
    ]);
  });

  it("a valid edit (wider champions) is accepted", () => {
    const edited = DEFAULT_RULES[5].map((rule) =>
      rule.segment === "champions" ? { ...rule, r: [3, 5] as [number, number], m: [3, 5] as [number, number] } : rule,
    );
    expect(RfmSettings.parse({ rules: edited }).rules?.[0]).toEqual({
      segment: "champions",
      r: [3, 5],
      f: [4, 5],
      m: [3, 5],
    });
  });

  it("F thresholds must be one per score, start at 1 and increase", () => {
    expect(RfmSettings.safeParse({ frequencyMode: "thresholds", frequencyThresholds: [1, 2, 3, 5] }).success).toBe(
      false,
    );
    expect(RfmSettings.safeParse({ frequencyThresholds: [2, 3, 4, 5, 6] }).success).toBe(false);
    expect(RfmSettings.safeParse({ frequencyThresholds: [1, 2, 2, 5, 6] }).success).toBe(false);
    expect(RfmSettings.safeParse({ scale: 4, frequencyThresholds: [1, 2, 4, 8] }).success).toBe(true);
  });
});

describe("naming presets", () => {
  it("every preset names every segment and behaviour", () => {
    for (const preset of Object.values(PRESETS)) {
      for (const key of [...SEGMENT_KEYS, ...BEHAVIOUR_KEYS]) expect(preset[key], key).toMatch(/\S/);
      expect(new Set(SEGMENT_KEYS.map((k) => preset[k])).size).toBe(SEGMENT_KEYS.length);
    }
  });

  it("Dutch admin gets Dutch names; a rename wins over any preset", () => {
    expect(segmentName("champions", DEFAULT_RFM_SETTINGS, "nl-NL")).toBe("Topklanten");
    expect(segmentName("at_risk", DEFAULT_RFM_SETTINGS, "en")).toBe("At risk");
    expect(segmentName("champions", { preset: "playful", names: {} }, "nl")).toBe("Soulmates");
    expect(segmentName("champions", { preset: "nl", names: { champions: "Onze helden" } }, "en")).toBe("Onze helden");
  });
});

describe("behaviours and dates", () => {
  it("top-p % admits ties together and needs positive spend", () => {
    expect(inTopPercent(0, 100, 1, true)).toBe(true);
    expect(inTopPercent(1, 100, 1, true)).toBe(false);
    expect(inTopPercent(4, 100, 5, true)).toBe(true);
    expect(inTopPercent(0, 100, 5, false)).toBe(false);
  });

  it("month arithmetic clamps like PostgreSQL", () => {
    expect(isoDay(minusMonths(epochDay("2026-03-31"), 1))).toBe("2026-02-28");
    expect(isoDay(minusMonths(epochDay("2024-03-31"), 1))).toBe("2024-02-29");
    expect(isoDay(minusMonths(epochDay("2026-11-22"), 12))).toBe("2025-11-22");
    expect(isoDay(minusMonths(epochDay("2026-01-15"), 36))).toBe("2023-01-15");
    expect(() => epochDay("2026-02-30")).toThrow(/calendar date/);
  });

  it("the window counts F and M inside it and leaves out customers with no order in it", () => {
    const asOf = epochDay("2026-06-30");
    const rows = [
      { customerId: "a", day: epochDay("2024-01-01"), amount: 100n },
      { customerId: "a", day: epochDay("2026-06-01"), amount: 50n },
      { customerId: "b", day: epochDay("2025-01-01"), amount: 70n },
      { customerId: "c", day: epochDay("2026-07-01"), amount: 70n },
    ];
    expect(valuesFromOrders(rows, asOf, 12)).toEqual([
      { customerId: "a", lastOrderDay: epochDay("2026-06-01"), frequency: 1, monetary: 50n },
    ]);
    expect(valuesFromOrders(rows, asOf, null).map((c) => c.customerId)).toEqual(["a", "b"]);
    const { scored } = scoreCustomers(valuesFromOrders(rows, asOf, null), {
      asOfDay: asOf,
      scale: 5,
      frequencyMode: "rank",
      frequencyThresholds: [1, 2, 3, 5, 10],
      rules: DEFAULT_RULES[5],
    });
    expect(scored.map((c) => [c.customerId, c.recencyDays, c.r, c.f, c.m])).toEqual([
      ["a", 29, 1 + Math.floor((5 * 1) / 2), 1 + Math.floor((5 * 1) / 2), 1 + Math.floor((5 * 1) / 2)],
      ["b", 545, 1, 1, 1],
    ]);
  });
});

describe("every score explains itself", () => {
  const r = [
    { score: 1, min: 300, max: 900, customers: 50 },
    { score: 4, min: 31, max: 88, customers: 30 },
    { score: 5, min: 0, max: 30, customers: 20 },
  ];
  const m = [{ score: 5, min: "500.0000", max: "2300.5000", customers: 10 }];
  const eur = (a: string) => new Intl.NumberFormat("nl-NL", { style: "currency", currency: "EUR" }).format(Number(a));
  it("in English and Dutch, from the run's cut-offs", () => {
    expect(explainScore("r", 4, r, "en")).toBe("R 4: last order 31–88 days ago (30% of customers)");
    expect(explainScore("r", 4, r, "nl")).toBe("R 4: laatste bestelling 31–88 dagen geleden (30% van de klanten)");
    expect(explainScore("f", 1, [{ score: 1, min: 1, max: 1, customers: 7 }], "en")).toBe(
      "F 1: 1 order (100% of customers)",
    );
    expect(explainScore("m", 5, m, "nl", eur)).toBe(
      `M 5: netto besteed ${eur("500")}–${eur("2300.5")} (100% van de klanten)`,
    );
    expect(eur("2300.5")).toMatch(/^€\s2\.300,50$/);
    expect(explainScore("r", 2, r, "en")).toBe("R 2: no customers in this run");
  });
});
