import { describe, expect, it } from "vitest";
import { expectedAverageValue, fitGammaGamma } from "./gamma-gamma";
import { seededRandom, simulateMeanValue } from "./simulate";

const TRUTH = { p: 4, q: 3, gamma: 20 };

function simulated(n: number, seed: number) {
  const random = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const x = 1 + (i % 8);
    return { x, meanValue: simulateMeanValue(random, TRUTH, x) };
  });
}

describe("Gamma-Gamma spend model", () => {
  it("GIVEN mean values simulated from the model THEN the fit recovers p, q, γ from every generic start", () => {
    const fit = fitGammaGamma(simulated(5000, 3));
    expect(fit?.converged).toBe(true);
    expect(fit?.startsAgreed).toBe(true);
    expect(Math.abs((fit?.p ?? 0) / TRUTH.p - 1)).toBeLessThan(0.15);
    expect(Math.abs((fit?.q ?? 0) / TRUTH.q - 1)).toBeLessThan(0.15);
    expect(Math.abs((fit?.gamma ?? 0) / TRUTH.gamma - 1)).toBeLessThan(0.2);
    expect(fit?.strongCorrelation).toBe(false);
  });

  it("GIVEN zero or negative mean values THEN they are left out of the fit and counted, and get the population mean", () => {
    const observations = [
      ...simulated(500, 4),
      { x: 2, meanValue: 0 },
      { x: 3, meanValue: -12.5 },
      { x: 0, meanValue: 0 },
    ];
    const fit = fitGammaGamma(observations);
    expect(fit?.customers).toBe(500);
    expect(fit?.nonPositive).toBe(2);
    if (!fit) return;
    const population = (fit.p * fit.gamma) / (fit.q - 1);
    expect(expectedAverageValue(fit, { x: 3, meanValue: -12.5 })).toBe(population);
    expect(expectedAverageValue(fit, { x: 0, meanValue: 0 })).toBe(population);
    // More repeat orders pull the estimate towards the customer's own mean.
    const few = expectedAverageValue(fit, { x: 1, meanValue: 100 });
    const many = expectedAverageValue(fit, { x: 20, meanValue: 100 });
    expect(few).toBeLessThan(many);
    expect(many).toBeLessThan(100);
  });

  it("GIVEN value rising with frequency THEN the correlation is reported as strong", () => {
    const random = seededRandom(8);
    const observations = Array.from({ length: 400 }, (_, i) => {
      const x = 1 + (i % 10);
      return { x, meanValue: 10 * x + 5 * random() };
    });
    const fit = fitGammaGamma(observations);
    expect(fit?.frequencyValueCorrelation).toBeGreaterThan(0.9);
    expect(fit?.strongCorrelation).toBe(true);
  });

  it("GIVEN fewer than two usable repeat customers THEN no fit instead of a guess", () => {
    expect(
      fitGammaGamma([
        { x: 1, meanValue: 10 },
        { x: 0, meanValue: 0 },
      ]),
    ).toBeNull();
  });
});
