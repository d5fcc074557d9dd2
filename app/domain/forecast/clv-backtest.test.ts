import { describe, expect, it } from "vitest";
import { MBG_NBD } from "../clv/bgnbd";
import { seededRandom, simulateCustomer } from "../clv/simulate";
import { backtestClv, MIN_REPEAT_CUSTOMERS, type CalibrationTuple } from "./clv-backtest";

const HOLDOUT_WEEKS = 13;

/** Customers drawn from MBG/NBD, observed for their calibration weeks plus the holdout, summarised in days. */
function shop(seed: number, customers: number) {
  const random = seededRandom(seed);
  const tuples = new Map<string, CalibrationTuple>();
  const perWeek = new Array<number>(HOLDOUT_WEEKS).fill(0);
  for (let i = 0; i < customers; i++) {
    const calibrationWeeks = 20 + (i % 60);
    const c = simulateCustomer(random, "mbgnbd", [0.6, 8, 0.8, 2], calibrationWeeks + HOLDOUT_WEEKS);
    // Whole days, as the SQL reports them.
    const days = c.purchases.map((t) => Math.ceil(t * 7));
    const cal = days.filter((d) => d <= calibrationWeeks * 7);
    const hold = days.filter((d) => d > calibrationWeeks * 7);
    hold.forEach((d) => {
      const w = Math.min(Math.floor((d - calibrationWeeks * 7 - 1) / 7), HOLDOUT_WEEKS - 1);
      perWeek[w] = (perWeek[w] as number) + 1;
    });
    const t = { x: cal.length, txDays: cal.at(-1) ?? 0, TDays: calibrationWeeks * 7 };
    const key = `${t.x}/${t.txDays}/${t.TDays}`;
    const hit = tuples.get(key);
    if (hit) {
      hit.customers++;
      hit.holdoutRepeats += hold.length;
    } else tuples.set(key, { ...t, customers: 1, holdoutRepeats: hold.length });
  }
  return { tuples: [...tuples.values()], perWeek };
}

describe("CLV back-test", () => {
  it("predicts the held-out repeat transactions of customers drawn from the model", () => {
    const { tuples, perWeek } = shop(3, 6000);
    const result = backtestClv(MBG_NBD, tuples, perWeek, HOLDOUT_WEEKS * 7);
    expect(result.sufficient).toBe(true);
    if (!result.sufficient) return;
    expect(result.calibrationCustomers).toBe(6000);
    expect(result.buckets).toHaveLength(8);
    expect(result.buckets.reduce((s, b) => s + b.customers, 0)).toBe(6000);
    // Drawn from the model itself: total within 10 %, buckets within half a transaction.
    expect(Math.abs(result.totalErrorPct)).toBeLessThan(0.1);
    expect(result.bucketMae).toBeLessThan(0.5);
    expect(result.cumulative).toHaveLength(HOLDOUT_WEEKS);
    const last = result.cumulative.at(-1);
    expect(last?.actual).toBe(result.totalActual);
    expect(last?.predicted).toBeCloseTo(result.totalPredicted, 6);
    // Cumulative: never decreasing.
    result.cumulative.slice(1).forEach((p, i) => {
      expect(p.actual).toBeGreaterThanOrEqual((result.cumulative[i] as { actual: number }).actual);
      expect(p.predicted).toBeGreaterThanOrEqual((result.cumulative[i] as { predicted: number }).predicted);
    });
  });

  it("says so instead of fitting when there are too few repeat customers", () => {
    const tuples: CalibrationTuple[] = [
      { x: 0, txDays: 0, TDays: 100, customers: 500, holdoutRepeats: 3 },
      { x: 1, txDays: 20, TDays: 100, customers: MIN_REPEAT_CUSTOMERS - 1, holdoutRepeats: 4 },
    ];
    expect(backtestClv(MBG_NBD, tuples, [1, 2], 14)).toEqual({
      sufficient: false,
      reason: "too_few_repeat_customers",
      repeatCustomers: MIN_REPEAT_CUSTOMERS - 1,
    });
    expect(backtestClv(MBG_NBD, [], [], 14)).toMatchObject({ sufficient: false, reason: "no_orders" });
  });
});
