import { describe, expect, it } from "vitest";
import { hyp2f1, logAddExp, logHyp2f1Shifted, logSubExp } from "./special";

describe("Gauss hypergeometric 2F1 for 0 ≤ z < 1", () => {
  it("GIVEN closed forms THEN the series matches them, also near z = 1", () => {
    for (const z of [0, 0.1, 0.5, 0.9, 0.999]) {
      // 2F1(1, 1; 2; z) = −ln(1 − z) / z
      expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(z === 0 ? 1 : -Math.log1p(-z) / z, 10);
      // 2F1(a, b; b; z) = (1 − z)^−a
      expect(hyp2f1(2.5, 3, 3, z) / Math.pow(1 - z, -2.5)).toBeCloseTo(1, 10);
    }
  });

  it("GIVEN the Pareto/NBD form 2F1(a, b; a+1; z) THEN both routes of the Euler transformation agree", () => {
    for (const [a, b, z] of [
      [3.2, 1.6, 0.4],
      [60.5, 1.6, 0.95],
      [60.5, 58.9, 0.95],
      [1.2, 0.8, 0.3],
    ] as const) {
      const direct = Math.log(hyp2f1(a, b, a + 1, z));
      expect(logHyp2f1Shifted(a, b, z)).toBeCloseTo(direct, 9);
    }
    // A large b: the direct series overflows in double, the transformed one does not.
    expect(Number.isFinite(logHyp2f1Shifted(900, 899.5, 0.999))).toBe(true);
  });

  it("GIVEN z outside [0, 1) or a non-positive c THEN NaN, not a wrong number", () => {
    expect(hyp2f1(1, 1, 2, 1)).toBeNaN();
    expect(hyp2f1(1, 1, -0.5, 0.2)).toBeNaN();
  });
});

describe("log-space sums", () => {
  it("GIVEN huge or tiny logarithms THEN no overflow, and equal terms subtract to −∞", () => {
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logAddExp(-Infinity, 3)).toBe(3);
    expect(logSubExp(1000, 1000 - Math.LN2)).toBeCloseTo(1000 - Math.LN2, 12);
    expect(logSubExp(5, 5)).toBe(-Infinity);
  });
});
