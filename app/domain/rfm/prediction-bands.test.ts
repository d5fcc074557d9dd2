import { describe, expect, it } from "vitest";
import { parseMoney } from "../money";
import { BEHAVIOUR_KEYS } from "./behaviours";
import {
  PREDICTION_BEHAVIOURS,
  expectedOrdersBandOf,
  pAliveBandOf,
  predictionBehavioursOf,
  valueTierOf,
  valueTierThresholdsOf,
  type PredictionFacts,
} from "./prediction-bands";

describe("P(alive) bands", () => {
  it("GIVEN values on and around each 10 % boundary THEN the lower bound is inclusive", () => {
    expect(pAliveBandOf(0)).toBe("0-10");
    expect(pAliveBandOf(0.0999999)).toBe("0-10");
    expect(pAliveBandOf(0.1)).toBe("10-20");
    expect(pAliveBandOf(0.29999)).toBe("20-30");
    expect(pAliveBandOf(0.3)).toBe("30-40");
    expect(pAliveBandOf(0.1 + 0.2)).toBe("30-40"); // 0.30000000000000004
    expect(pAliveBandOf(0.7)).toBe("70-80");
    expect(pAliveBandOf(0.9)).toBe("90-100");
    expect(pAliveBandOf(0.99999)).toBe("90-100");
    expect(pAliveBandOf(1)).toBe("90-100");
  });
  it("GIVEN a value outside [0, 1] or not a number THEN no band", () => {
    expect(pAliveBandOf(-0.01)).toBeNull();
    expect(pAliveBandOf(1.01)).toBeNull();
    expect(pAliveBandOf(Number.NaN)).toBeNull();
  });
});

describe("expected orders in 365 days bands", () => {
  it("GIVEN each boundary THEN the lower bound is inclusive", () => {
    expect(expectedOrdersBandOf(0)).toBe("0-0.5");
    expect(expectedOrdersBandOf(0.4999)).toBe("0-0.5");
    expect(expectedOrdersBandOf(0.5)).toBe("0.5-1");
    expect(expectedOrdersBandOf(0.9999)).toBe("0.5-1");
    expect(expectedOrdersBandOf(1)).toBe("1-2");
    expect(expectedOrdersBandOf(1.9999)).toBe("1-2");
    expect(expectedOrdersBandOf(2)).toBe("2-5");
    expect(expectedOrdersBandOf(4.9999)).toBe("2-5");
    expect(expectedOrdersBandOf(5)).toBe("5+");
    expect(expectedOrdersBandOf(500)).toBe("5+");
  });
  it("GIVEN a negative or non-finite value THEN no band", () => {
    expect(expectedOrdersBandOf(-0.1)).toBeNull();
    expect(expectedOrdersBandOf(Number.POSITIVE_INFINITY)).toBeNull();
  });
});

describe("predicted 12-month value tiers", () => {
  it("GIVEN 100 distinct positive values THEN top 10 / 25 / 50 % start at the 10th / 25th / 50th highest", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1); // 1 … 100
    const t = valueTierThresholdsOf(values);
    expect(t).toEqual({ top_10: 91, top_25: 76, top_50: 51 });
    expect(valueTierOf(91, t)).toBe("top_10");
    expect(valueTierOf(90.999, t)).toBe("top_25");
    expect(valueTierOf(76, t)).toBe("top_25");
    expect(valueTierOf(75.99, t)).toBe("top_50");
    expect(valueTierOf(51, t)).toBe("top_50");
    expect(valueTierOf(50.99, t)).toBe("bottom_50");
    expect(valueTierOf(0.01, t)).toBe("bottom_50");
    expect(valueTierOf(0, t)).toBe("none");
    expect(valueTierOf(-3, t)).toBe("none");
  });
  it("GIVEN ties across a tier boundary THEN they are all in (fewer than p % strictly higher)", () => {
    // 20 customers: 100, 90, five at 50, thirteen at 10.
    const values = [100, 90, 50, 50, 50, 50, 50, ...Array.from({ length: 13 }, () => 10)];
    const t = valueTierThresholdsOf(values);
    // Top 10 % = 2: 90 has 1 higher (< 2) → in; 50 has 2 higher → out.
    expect(t.top_10).toBe(90);
    // Top 25 % = 5: 50 has 2 higher → in, all five ties with it (7 customers, 35 %); 10 has 7 higher → out.
    expect(t.top_25).toBe(50);
    // Top 50 % = 10: 10 has 7 higher → in.
    expect(t.top_50).toBe(10);
  });
  it("GIVEN only zero values THEN every tier is empty and nobody is in the top tier", () => {
    const t = valueTierThresholdsOf([0, 0, 0]);
    expect(t).toEqual({ top_10: null, top_25: null, top_50: null });
    expect(valueTierOf(0, t)).toBe("none");
  });
});

describe("prediction behaviours", () => {
  const base: PredictionFacts = {
    segment: "at_risk",
    lifetimeSpend: parseMoney("500"),
    pAlive: 0.5,
    pOrder30: 0.1,
    valueTier: "top_50",
  };
  const context = { highValueMinSpend: parseMoney("500"), settings: { churnMaxPAlive: 0.3, orderSoonMinP: 0.5 } };

  it("GIVEN the three keys THEN they are the last behaviour keys, in order", () => {
    expect(BEHAVIOUR_KEYS.slice(-3)).toEqual([...PREDICTION_BEHAVIOURS]);
  });
  it("GIVEN high value WHEN P(alive) is just below / at the threshold THEN likely to churn / not", () => {
    expect(predictionBehavioursOf({ ...base, pAlive: 0.2999 }, context)).toEqual(["likely_to_churn"]);
    expect(predictionBehavioursOf({ ...base, pAlive: 0.3 }, context)).toEqual([]);
  });
  it("GIVEN low P(alive) WHEN spend is just under the high-value threshold or there is none THEN not likely to churn", () => {
    expect(predictionBehavioursOf({ ...base, pAlive: 0.1, lifetimeSpend: parseMoney("499.9999") }, context)).toEqual(
      [],
    );
    expect(predictionBehavioursOf({ ...base, pAlive: 0.1 }, { ...context, highValueMinSpend: null })).toEqual([]);
  });
  it("GIVEN the top value tier THEN a rising star unless already Champions or Loyal", () => {
    expect(predictionBehavioursOf({ ...base, valueTier: "top_10", segment: "promising" }, context)).toEqual([
      "rising_star",
    ]);
    expect(predictionBehavioursOf({ ...base, valueTier: "top_10", segment: "champions" }, context)).toEqual([]);
    expect(predictionBehavioursOf({ ...base, valueTier: "top_10", segment: "loyal" }, context)).toEqual([]);
    expect(predictionBehavioursOf({ ...base, valueTier: "top_25", segment: "promising" }, context)).toEqual([]);
  });
  it("GIVEN P(order in 30 days) at / just below the threshold THEN ordering soon / not", () => {
    expect(predictionBehavioursOf({ ...base, pOrder30: 0.5 }, context)).toEqual(["ordering_soon"]);
    expect(predictionBehavioursOf({ ...base, pOrder30: 0.4999 }, context)).toEqual([]);
  });
  it("GIVEN every condition THEN all three, in key order", () => {
    expect(
      predictionBehavioursOf({ ...base, pAlive: 0.1, pOrder30: 0.9, valueTier: "top_10", segment: "new" }, context),
    ).toEqual(["likely_to_churn", "rising_star", "ordering_soon"]);
  });
});
