import { describe, expect, it } from "vitest";
import { BG_NBD } from "./bgnbd";
import { predictCustomers } from "./predictions";
import type { CustomerSummary } from "./summary";

const customer = (customerId: string, x: number, txDays: number, TDays: number, meanRepeatValue: number) =>
  ({
    customerId,
    firstDay: 0,
    x,
    txDays,
    TDays,
    meanRepeatValue,
    holdoutX: 0,
    repeatDays: [],
  }) satisfies CustomerSummary;

describe("per-customer predictions", () => {
  const predictor = BG_NBD.predictor([0.2426, 4.4136, 0.7929, 2.4259]);
  const spend = { p: 6.25, q: 3.74, gamma: 15.44 };
  const customers = [customer("a", 2, 213, 272, 22.35), customer("b", 0, 0, 272, 0), customer("c", 2, 213, 272, 22.35)];

  it("GIVEN horizons in days THEN they are converted to the model's unit", () => {
    const [a] = predictCustomers(predictor, spend, customers, { unit: "week", annualDiscountRate: 0 });
    expect(a?.expectedOrders90).toBeCloseTo(predictor.expected(90 / 7, { x: 2, tx: 213 / 7, T: 272 / 7 }), 12);
    expect(a?.expectedOrders365).toBeCloseTo(predictor.expected(365 / 7, { x: 2, tx: 213 / 7, T: 272 / 7 }), 12);
    expect(a?.pNoOrder90).toBeCloseTo(predictor.pNone(90 / 7, { x: 2, tx: 213 / 7, T: 272 / 7 }), 12);
    expect(a?.pOrder30).toBeCloseTo(1 - predictor.pNone(30 / 7, { x: 2, tx: 213 / 7, T: 272 / 7 }), 12);
  });

  it("GIVEN a 30-day window inside the 90-day one THEN P(order in 30 days) is at most P(order in 90 days), and below P(alive)", () => {
    for (const p of predictCustomers(predictor, spend, customers, { unit: "week", annualDiscountRate: 0 })) {
      expect(p.pOrder30).toBeGreaterThan(0);
      expect(p.pOrder30).toBeLessThanOrEqual(1 - p.pNoOrder90 + 1e-12);
      expect(p.pOrder30).toBeLessThanOrEqual(p.pAlive);
    }
  });

  it("GIVEN no discount THEN the 12-month value is E[orders in 365 days] × E[order value]; a discount lowers it", () => {
    const [a, b] = predictCustomers(predictor, spend, customers, { unit: "week", annualDiscountRate: 0 });
    expect(a?.predictedValue12m).toBeCloseTo((a?.expectedOrders365 ?? 0) * (a?.expectedAverageValue ?? 0), 9);
    expect(b?.expectedAverageValue).toBeCloseTo((6.25 * 15.44) / 2.74, 9);
    const [discounted] = predictCustomers(predictor, spend, customers, { unit: "week", annualDiscountRate: 0.1 });
    expect(discounted?.predictedValue12m).toBeLessThan(a?.predictedValue12m ?? 0);
    expect(discounted?.predictedValue12m).toBeGreaterThan((a?.predictedValue12m ?? 0) / 1.1);
  });

  it("GIVEN no spend model THEN values are absent, not zero", () => {
    const [a] = predictCustomers(predictor, null, customers, { unit: "week", annualDiscountRate: 0.1 });
    expect(a?.expectedAverageValue).toBeNull();
    expect(a?.predictedValue12m).toBeNull();
  });
});
