import { z } from "zod";

/** What ForecastRun's JSON columns hold; parsed with these when read (the page, tests). */
export const SegmentForecast = z.object({
  sizes: z.array(z.object({ segment: z.string(), now: z.number(), in30: z.number(), in90: z.number() })),
  /** Customers most likely to move down next month, most likely first. */
  movingDown: z.array(
    z.object({
      customerId: z.string(),
      segment: z.string(),
      pDown: z.number(),
      /** null: no purchase-model prediction for them (the chain's row alone). */
      pAlive: z.number().nullable(),
    }),
  ),
});
export type SegmentForecast = z.infer<typeof SegmentForecast>;

export const SegmentBacktestJson = z.union([
  z.object({
    available: z.literal(true),
    from: z.string(),
    to: z.string(),
    months: z.number(),
    weightedMape: z.number(),
    rows: z.array(z.object({ segment: z.string(), start: z.number(), predicted: z.number(), actual: z.number() })),
  }),
  z.object({ available: z.literal(false), months: z.number(), needed: z.number() }),
]);
export type SegmentBacktestJson = z.infer<typeof SegmentBacktestJson>;

const Bucket = z.object({ frequency: z.string(), customers: z.number(), actual: z.number(), predicted: z.number() });
export const ClvBacktestJson = z.union([
  z.object({
    sufficient: z.literal(true),
    cutoff: z.string(),
    holdoutEnd: z.string(),
    holdoutMonths: z.number(),
    model: z.string(),
    params: z.record(z.string(), z.number()),
    ll: z.number(),
    converged: z.boolean(),
    calibrationCustomers: z.number(),
    repeatCustomers: z.number(),
    distinctTuples: z.number(),
    buckets: z.array(Bucket),
    cumulative: z.array(z.object({ week: z.number(), actual: z.number(), predicted: z.number() })),
    totalActual: z.number(),
    totalPredicted: z.number(),
    totalErrorPct: z.number(),
    bucketMae: z.number(),
  }),
  z.object({
    sufficient: z.literal(false),
    cutoff: z.string(),
    holdoutEnd: z.string(),
    holdoutMonths: z.number(),
    reason: z.enum(["no_orders", "too_few_repeat_customers", "not_converged"]),
    repeatCustomers: z.number(),
  }),
]);
export type ClvBacktestJson = z.infer<typeof ClvBacktestJson>;
