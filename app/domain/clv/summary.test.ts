import { describe, expect, it } from "vitest";
import { distinctTuples, summarise } from "./summary";

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const tx = (customerId: string, iso: string, amount: number) => ({ customerId, day: day(iso), amount });

describe("transactions → (x, t_x, T) summary", () => {
  const transactions = [
    tx("a", "1997-01-01", 29.33),
    tx("a", "1997-01-18", 20),
    tx("a", "1997-01-18", 9.73), // same day: one transaction of 29.73
    tx("a", "1997-08-02", 14.96),
    tx("a", "1997-12-12", 26.48), // holdout
    tx("b", "1997-01-01", 6.79),
    tx("c", "1997-10-05", 10), // first purchase after the calibration end
    tx("d", "1998-09-01", 10), // after the holdout end
  ];
  const { customers, counts } = summarise(transactions, day("1997-09-30"), day("1998-06-30"));

  it("GIVEN same-day purchases THEN they are one transaction, x counts repeats only and values are their mean", () => {
    const a = customers.find((c) => c.customerId === "a");
    expect(a).toMatchObject({ x: 2, txDays: 213, TDays: 272, holdoutX: 1 });
    expect(a?.meanRepeatValue).toBeCloseTo((29.73 + 14.96) / 2, 10);
    expect(customers.find((c) => c.customerId === "b")).toMatchObject({
      x: 0,
      txDays: 0,
      TDays: 272,
      meanRepeatValue: 0,
    });
  });

  it("GIVEN customers outside the periods THEN they are counted, not silently dropped", () => {
    expect(customers.map((c) => c.customerId).sort()).toEqual(["a", "b"]);
    expect(counts).toEqual({ transactions: 8, purchaseDays: 6, customersAfterCalibration: 1, transactionsAfterEnd: 1 });
  });

  it("GIVEN weeks or days THEN the tuples are in that unit and equal customers share a tuple", () => {
    const weeks = distinctTuples(customers, "week");
    expect(weeks.T[0]).toBeCloseTo(272 / 7, 12);
    expect(distinctTuples(customers, "day").tx[0]).toBe(213);
    const twins = distinctTuples(
      [
        { x: 1, txDays: 3, TDays: 10 },
        { x: 1, txDays: 3, TDays: 10 },
        { x: 0, txDays: 0, TDays: 10 },
      ],
      "day",
    );
    expect([...twins.count].sort()).toEqual([1, 2]);
    expect(twins.customers).toBe(3);
  });
});
