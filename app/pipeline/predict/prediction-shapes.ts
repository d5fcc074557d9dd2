import { z } from "zod";

/** The JSON a prediction run stores (PredictionRun.params, .gammaGamma, .summary): readers parse, never cast. */

export const PredictionParams = z.record(z.string(), z.number());

export const GammaGammaJson = z.object({
  p: z.number(),
  q: z.number(),
  gamma: z.number(),
  ll: z.number(),
  converged: z.boolean(),
  customers: z.number(),
  nonPositive: z.number(),
  strongCorrelation: z.boolean(),
});
export type GammaGammaJson = z.infer<typeof GammaGammaJson>;

/** Predicted revenue over the next 12 months per segment (shop currency), computed once per run. */
export const PredictionSummary = z.object({
  predictedValue12m: z.number(),
  segments: z.array(z.object({ segment: z.string(), customers: z.number(), predictedValue12m: z.number() })),
});
export type PredictionSummary = z.infer<typeof PredictionSummary>;
