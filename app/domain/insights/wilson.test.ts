import { describe, expect, it } from "vitest";
import { wilsonInterval } from "./wilson";

describe("Wilson 95 % interval", () => {
  it("GIVEN published cases WHEN computed THEN the bounds match to four decimals", () => {
    // Newcombe (1998), Statistics in Medicine 17, table I: 81/263 → 0.2553–0.3662; 15/148 → 0.0624–0.1605; 0/20 → 0–0.1611.
    const cases: [number, number, number, number][] = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ];
    for (const [k, n, low, high] of cases) {
      const interval = wilsonInterval(k, n);
      expect(interval.low).toBeCloseTo(low, 4);
      expect(interval.high).toBeCloseTo(high, 4);
    }
  });

  it("GIVEN no observations WHEN computed THEN the interval is the whole range", () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });
});
