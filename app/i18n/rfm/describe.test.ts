import { describe, expect, it } from "vitest";
import type { Cutoff } from "../../domain/rfm/scores";
import { DEFAULT_RULES, SEGMENT_KEYS, type SegmentRule } from "../../domain/rfm/segments";
import { BEHAVIOUR_KEYS } from "../../domain/rfm/behaviours";
import { DEFAULT_RFM_SETTINGS, RfmSettings } from "../../domain/rfm/settings";
import { describeBehaviour, describeSegmentRule, type RunCutoffs } from "./describe";
import { recommendedActions } from "./actions";

const eur = (a: string) => `€${a}`;
const cut = <V>(score: number, min: V, max: V, customers = 100): Cutoff<V> => ({ score, min, max, customers });

// A typical shop's run: R in days since the last order, F in orders, M in net spend.
const RUN5: RunCutoffs = {
  r: [cut(1, 366, 1400), cut(2, 181, 365), cut(3, 91, 180), cut(4, 31, 90), cut(5, 0, 30)],
  f: [cut(1, 1, 1, 300), cut(2, 2, 2), cut(3, 3, 3), cut(4, 4, 6), cut(5, 7, 52)],
  m: [
    cut(1, "-20", "45"),
    cut(2, "45.5", "119.99"),
    cut(3, "120", "249.95"),
    cut(4, "250", "480"),
    cut(5, "481", "9800"),
  ],
};
const RUN4: RunCutoffs = {
  r: [cut(1, 271, 1400), cut(2, 121, 270), cut(3, 46, 120), cut(4, 0, 45)],
  f: [cut(1, 1, 1, 300), cut(2, 2, 2), cut(3, 3, 4), cut(4, 5, 40)],
  m: [cut(1, "0", "60"), cut(2, "60.5", "120"), cut(3, "121", "300"), cut(4, "301", "7000")],
};

describe("describeSegmentRule", () => {
  it.each([
    [5, RUN5],
    [4, RUN4],
  ] as const)(
    "GIVEN the default rules on scale %i WHEN every segment is described THEN each has a sentence per row in both languages",
    (scale, run) => {
      for (const key of SEGMENT_KEYS) {
        const rows = DEFAULT_RULES[scale].filter((x) => x.segment === key).length || 1;
        const en = describeSegmentRule(key, DEFAULT_RULES[scale], run, "en", eur);
        const nl = describeSegmentRule(key, DEFAULT_RULES[scale], run, "nl", eur);
        expect(en, key).toHaveLength(rows);
        expect(nl, key).toHaveLength(rows);
        for (const [i, s] of en.entries()) {
          expect(s.length, key).toBeGreaterThan(0);
          expect(nl[i], key).not.toBe(s);
          expect(s, key).not.toMatch(/undefined|null|NaN/);
          expect(nl[i], key).not.toMatch(/undefined|null|NaN/);
        }
      }
    },
  );

  it("GIVEN scale 5 WHEN champions, at risk and lost are described THEN the sentences carry the run's cut-offs", () => {
    const rules = DEFAULT_RULES[5];
    expect(describeSegmentRule("champions", rules, RUN5, "en", eur)).toEqual([
      "Ordered in the last 90 days, 4+ orders and spent €250 or more",
    ]);
    expect(describeSegmentRule("champions", rules, RUN5, "nl", eur)).toEqual([
      "Laatste bestelling in de afgelopen 90 dagen, 4+ bestellingen en €250 of meer besteed",
    ]);
    expect(describeSegmentRule("at_risk", rules, RUN5, "en", eur)).toEqual([
      "Last order 181 or more days ago, 3+ orders and spent €120 or more",
    ]);
    expect(describeSegmentRule("at_risk", rules, RUN5, "nl", eur)).toEqual([
      "Laatste bestelling 181 of meer dagen geleden, 3+ bestellingen en €120 of meer besteed",
    ]);
    expect(describeSegmentRule("lost", rules, RUN5, "en", eur)).toEqual(["Last order 366 or more days ago"]);
    expect(describeSegmentRule("lost", rules, RUN5, "nl", eur)).toEqual([
      "Laatste bestelling 366 of meer dagen geleden",
    ]);
  });

  it("GIVEN scale 4 WHEN champions, at risk and lost are described THEN the sentences carry the run's cut-offs", () => {
    const rules = DEFAULT_RULES[4];
    expect(describeSegmentRule("champions", rules, RUN4, "en", eur)).toEqual([
      "Ordered in the last 45 days, 3+ orders and spent €121 or more",
    ]);
    expect(describeSegmentRule("champions", rules, RUN4, "nl", eur)).toEqual([
      "Laatste bestelling in de afgelopen 45 dagen, 3+ bestellingen en €121 of meer besteed",
    ]);
    expect(describeSegmentRule("at_risk", rules, RUN4, "en", eur)).toEqual([
      "Last order 121 or more days ago, 3+ orders and spent €121 or more",
    ]);
    expect(describeSegmentRule("at_risk", rules, RUN4, "nl", eur)).toEqual([
      "Laatste bestelling 121 of meer dagen geleden, 3+ bestellingen en €121 of meer besteed",
    ]);
    expect(describeSegmentRule("lost", rules, RUN4, "en", eur)).toEqual(["Last order 271 or more days ago"]);
    expect(describeSegmentRule("lost", rules, RUN4, "nl", eur)).toEqual([
      "Laatste bestelling 271 of meer dagen geleden",
    ]);
  });

  it("GIVEN ranges in the middle of the scale THEN both ends of the value range are shown", () => {
    const rules = DEFAULT_RULES[5];
    expect(describeSegmentRule("needs_attention", rules, RUN5, "en", eur)).toEqual([
      "Last order 91–365 days ago, 1–2 orders and spent €120 or more",
    ]);
    expect(describeSegmentRule("hibernating", rules, RUN5, "en", eur)).toEqual([
      "Last order 181–365 days ago, 1–2 orders and spent up to €119.99",
    ]);
    expect(describeSegmentRule("hibernating", rules, RUN5, "nl", eur)).toEqual([
      "Laatste bestelling 181–365 dagen geleden, 1–2 bestellingen en tot €119.99 besteed",
    ]);
    const between: SegmentRule = { segment: "loyal", r: [3, 3], f: [2, 3], m: [3, 4] };
    expect(describeSegmentRule("loyal", [between], RUN5, "en", eur)).toEqual([
      "Last order 91–180 days ago, 2–3 orders and spent €120–€480",
    ]);
    expect(describeSegmentRule("loyal", [between], RUN5, "nl", eur)).toEqual([
      "Laatste bestelling 91–180 dagen geleden, 2–3 bestellingen en €120–€480 besteed",
    ]);
  });

  it("GIVEN a segment with several rows THEN one sentence per row, in rule order", () => {
    expect(describeSegmentRule("new", DEFAULT_RULES[5], RUN5, "en", eur)).toEqual([
      "Ordered in the last 30 days and 1 order",
      "Last order 31–90 days ago, 1 order and spent up to €119.99",
    ]);
    expect(describeSegmentRule("about_to_sleep", DEFAULT_RULES[5], RUN5, "nl", eur)).toEqual([
      "Laatste bestelling 91–180 dagen geleden en tot €119.99 besteed",
      "Laatste bestelling 181–365 dagen geleden, 3+ bestellingen en tot €119.99 besteed",
    ]);
  });

  it("GIVEN a dimension spanning the full scale THEN it is left out", () => {
    const [en] = describeSegmentRule("lost", DEFAULT_RULES[5], RUN5, "en", eur);
    expect(en).not.toMatch(/order(s)? and|spent/);
    const anything: SegmentRule = { segment: "hibernating", r: [1, 5], f: [1, 5], m: [1, 5] };
    expect(describeSegmentRule("hibernating", [anything], RUN5, "en", eur)).toEqual([
      "Any customer not matched by an earlier rule",
    ]);
    expect(describeSegmentRule("hibernating", [anything], RUN5, "nl", eur)).toEqual([
      "Elke klant die niet onder een eerdere regel valt",
    ]);
    const recentOnly: SegmentRule = { segment: "loyal", r: [1, 5], f: [1, 5], m: [5, 5] };
    expect(describeSegmentRule("loyal", [recentOnly], RUN5, "en", eur)).toEqual(["Spent €481 or more"]);
  });

  it("GIVEN a score no customer holds in the run WHEN it bounds a range THEN the score numbers are shown instead", () => {
    // Rank scoring with many ties can leave F 4 empty.
    const tied: RunCutoffs = { ...RUN5, f: [cut(1, 1, 1, 600), cut(3, 2, 2, 250), cut(5, 3, 40, 150)] };
    expect(describeSegmentRule("champions", DEFAULT_RULES[5], tied, "en", eur)).toEqual([
      "Ordered in the last 90 days, F 4–5 and spent €250 or more",
    ]);
    expect(describeSegmentRule("champions", DEFAULT_RULES[5], tied, "nl", eur)).toEqual([
      "Laatste bestelling in de afgelopen 90 dagen, F 4–5 en €250 of meer besteed",
    ]);
    const emptyR: RunCutoffs = { ...RUN5, r: RUN5.r.map((c) => (c.score === 1 ? { ...c, customers: 0 } : c)) };
    expect(describeSegmentRule("lost", DEFAULT_RULES[5], emptyR, "en", eur)).toEqual(["R 1"]);
    const noR2: RunCutoffs = { ...RUN5, r: RUN5.r.filter((c) => c.score !== 2) };
    expect(describeSegmentRule("hibernating", DEFAULT_RULES[5], noR2, "en", eur)).toEqual([
      "R 2, 1–2 orders and spent up to €119.99",
    ]);
    expect(describeSegmentRule("at_risk", DEFAULT_RULES[5], { r: [], f: [], m: [] }, "nl", eur)).toEqual([
      "R 1–2, F 3–5 en M 3–5",
    ]);
  });

  it("GIVEN the newest customers ordered today THEN recency reads naturally", () => {
    const today: RunCutoffs = { ...RUN5, r: [cut(1, 5, 400), cut(5, 0, 0)] };
    const only: SegmentRule = { segment: "new", r: [5, 5], f: [1, 5], m: [1, 5] };
    expect(describeSegmentRule("new", [only], today, "en", eur)).toEqual(["Ordered today"]);
    expect(describeSegmentRule("new", [only], today, "nl", eur)).toEqual(["Laatste bestelling vandaag"]);
  });

  it("GIVEN lost_engaged WHEN described THEN it is lost plus the engagement windows", () => {
    expect(describeSegmentRule("lost_engaged", DEFAULT_RULES[5], RUN5, "en", eur)).toEqual([
      "Would count as lost (last order 366 or more days ago), but visited your store in the last 90 days or clicked a marketing email in the last 180 days",
    ]);
    expect(
      describeSegmentRule("lost_engaged", DEFAULT_RULES[5], RUN5, "nl", eur, {
        lostEngagedVisitDays: 30,
        lostEngagedClickDays: 60,
      }),
    ).toEqual([
      "Zou als verloren gelden (laatste bestelling 366 of meer dagen geleden), maar bezocht je winkel in de afgelopen 30 dagen of klikte in de afgelopen 60 dagen op een marketinge-mail",
    ]);
  });

  it("GIVEN a rule table that never names a segment THEN it has no sentences", () => {
    expect(
      describeSegmentRule(
        "champions",
        DEFAULT_RULES[5].filter((x) => x.segment !== "champions"),
        RUN5,
        "en",
        eur,
      ),
    ).toEqual([]);
  });
});

describe("describeBehaviour", () => {
  const stats = {
    vipMinSpend: { vip_top_1: "4200", vip_top_5: "1234", vip_top_20: "380" },
    highValueMinSpend: "1234",
    medianGapDays: 41.5,
  };

  it("GIVEN default settings WHEN every behaviour is described THEN each has a sentence in both languages", () => {
    for (const key of BEHAVIOUR_KEYS) {
      const en = describeBehaviour(key, DEFAULT_RFM_SETTINGS, stats, "en", eur);
      const nl = describeBehaviour(key, DEFAULT_RFM_SETTINGS, stats, "nl", eur);
      expect(en.length, key).toBeGreaterThan(0);
      expect(nl, key).not.toBe(en);
      expect(`${en} ${nl}`, key).not.toMatch(/undefined|null|NaN/);
    }
  });

  it("GIVEN a run's VIP thresholds THEN the tier shows its minimum spend", () => {
    expect(describeBehaviour("vip_top_5", DEFAULT_RFM_SETTINGS, stats, "en", eur)).toBe(
      "Top 5% of customers by net spend: €1234 or more",
    );
    expect(describeBehaviour("vip_top_5", DEFAULT_RFM_SETTINGS, stats, "nl", eur)).toBe(
      "Top 5% van de klanten op netto besteding: €1234 of meer",
    );
    expect(describeBehaviour("vip_top_1", DEFAULT_RFM_SETTINGS, {}, "en", eur)).toBe(
      "Top 1% of customers by net spend",
    );
    expect(describeBehaviour("vip_top_1", DEFAULT_RFM_SETTINGS, { vipMinSpend: { vip_top_1: null } }, "en", eur)).toBe(
      "Top 1% of customers by net spend: nobody qualifies in this run",
    );
  });

  it("GIVEN high value at risk THEN its threshold and inactivity come from settings, else the top 5%", () => {
    expect(describeBehaviour("high_value_at_risk", DEFAULT_RFM_SETTINGS, stats, "en", eur)).toBe(
      "Spent €1234 or more in total (your top 5% threshold) and has not ordered for 90 days or more",
    );
    const own = RfmSettings.parse({ behaviours: { highValueMinSpend: "2000", highValueInactiveDays: 60 } });
    expect(describeBehaviour("high_value_at_risk", own, stats, "nl", eur)).toBe(
      "In totaal €2000 of meer besteed en al 60 dagen of langer niet besteld",
    );
  });

  it("GIVEN the prediction behaviours THEN their thresholds come from the settings, in both languages", () => {
    expect(describeBehaviour("likely_to_churn", DEFAULT_RFM_SETTINGS, stats, "en", eur)).toBe(
      "Spent €1234 or more in total (your top 5% threshold), and the predicted chance that they still buy from you is below 30%",
    );
    const own = RfmSettings.parse({
      behaviours: { highValueMinSpend: "2000", churnMaxPAlive: 0.25, orderSoonMinP: 0.7 },
    });
    expect(describeBehaviour("likely_to_churn", own, stats, "nl", eur)).toBe(
      "In totaal €2000 of meer besteed, en de kans dat ze nog bij je kopen is volgens de voorspelling kleiner dan 25%",
    );
    expect(describeBehaviour("ordering_soon", own, stats, "en", eur)).toBe(
      "The predicted chance of an order in the next 30 days is 70% or more",
    );
    expect(describeBehaviour("ordering_soon", DEFAULT_RFM_SETTINGS, stats, "nl", eur)).toBe(
      "De voorspelde kans op een bestelling in de komende 30 dagen is 50% of meer",
    );
    expect(describeBehaviour("rising_star", DEFAULT_RFM_SETTINGS, stats, "nl", eur)).toContain("hoogste 10%");
    expect(describeBehaviour("rising_star", DEFAULT_RFM_SETTINGS, stats, "en", eur)).toContain("top 10%");
  });

  it("GIVEN dissatisfied THEN the one-order gap is the shop's median, else the fallback setting", () => {
    expect(describeBehaviour("dissatisfied", DEFAULT_RFM_SETTINGS, stats, "en", eur)).toContain(
      "with one order 42 days, your shop's median",
    );
    expect(describeBehaviour("dissatisfied", DEFAULT_RFM_SETTINGS, { medianGapDays: null }, "nl", eur)).toContain(
      "bij één bestelling 90 dagen, de standaardwaarde",
    );
  });

  it("GIVEN brand loyal THEN it names the vendors, or says it is off", () => {
    expect(describeBehaviour("brand_loyal", DEFAULT_RFM_SETTINGS, {}, "en", eur)).toBe(
      "Off: choose one or more vendors in the settings first",
    );
    const two = RfmSettings.parse({ behaviours: { brandVendors: ["Acme", "Zeeland Wol"] } });
    expect(describeBehaviour("brand_loyal", two, {}, "nl", eur)).toBe(
      "Elke bestelling bevat een product van Acme of Zeeland Wol",
    );
    const many = RfmSettings.parse({ behaviours: { brandVendors: ["A", "B", "C", "D", "E", "F", "G"] } });
    expect(describeBehaviour("brand_loyal", many, {}, "en", eur)).toBe(
      "Every order contains a product from A, B, C, D, E or 2 more",
    );
  });

  it("GIVEN sale shopper THEN the minimum order count comes from settings", () => {
    const three = RfmSettings.parse({ behaviours: { saleShopperMinOrders: 3 } });
    expect(describeBehaviour("sale_shopper", three, {}, "en", eur)).toMatch(/^At least 3 orders on sale launch days/);
    expect(describeBehaviour("sale_shopper", three, {}, "nl", eur)).toMatch(
      /^Minstens 3 bestellingen op startdagen van acties/,
    );
  });
});

describe("recommendedActions", () => {
  it("GIVEN every segment and behaviour WHEN actions are asked THEN 2–4 per language, Dutch written out in Dutch", () => {
    for (const key of [...SEGMENT_KEYS, ...BEHAVIOUR_KEYS]) {
      const en = recommendedActions(key, "en");
      const nl = recommendedActions(key, "nl");
      for (const list of [en, nl]) {
        expect(list.length, key).toBeGreaterThanOrEqual(2);
        expect(list.length, key).toBeLessThanOrEqual(4);
        for (const action of list) expect(action.trim().length, key).toBeGreaterThan(0);
      }
      for (const action of nl) expect(en, key).not.toContain(action);
    }
  });

  it("GIVEN champions THEN no discounts, and the list is a copy callers may change", () => {
    const list = recommendedActions("champions", "en");
    expect(list[0]).toMatch(/discount/);
    list.push("changed");
    expect(recommendedActions("champions", "en")).not.toContain("changed");
  });
});
