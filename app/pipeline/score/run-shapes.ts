import { z } from "zod";

/**
 * The JSON a scoring run stores (ScoringRun.cutoffs, .stats, .summary), one
 * schema each: readers parse it instead of trusting a cast. Money is a
 * decimal string throughout (numeric::text), counts and shares are numbers.
 */

const cutoff = <V extends z.ZodType>(value: V) =>
  z.object({ score: z.number(), min: value, max: value, customers: z.number() });

/** Each score's value range and size, per dimension, as the run ranked them. */
export const RunCutoffs = z.object({
  r: z.array(cutoff(z.number())),
  f: z.array(cutoff(z.number())),
  /** Net spend as decimal strings. */
  m: z.array(cutoff(z.string())),
});
export type RunCutoffs = z.infer<typeof RunCutoffs>;

/** Read where there is no full run yet (or its cut-offs are not stored): nothing to describe. */
export const NO_CUTOFFS: RunCutoffs = { r: [], f: [], m: [] };

const vipTiers = <V extends z.ZodType>(value: V) => z.object({ vip_top_1: value, vip_top_5: value, vip_top_20: value });

export const RunStats = z.object({
  /** Lowest net spend inside each VIP tier (null: tier empty). */
  vipMinSpend: vipTiers(z.string().nullable()),
  /** Share of net spend (0–1) of each VIP tier. */
  revenueShare: vipTiers(z.number()),
  totalSpend: z.string(),
  medianGapDays: z.number().nullable(),
  /** Local dates on which a sale code or sale period was first used. */
  launchDays: z.array(z.string()),
  highValueMinSpend: z.string().nullable(),
  segments: z.record(z.string(), z.number()),
  behaviours: z.record(z.string(), z.number()),
  changedSegment: z.number(),
  seconds: z.number(),
  /**
   * For the next daily run (absent in runs stored before it): aggregates recomputed from changesFrom on are
   * news to it (the earliest start of a transaction open when this run began), and the time zone it scored in.
   */
  changesFrom: z.string().optional(),
  timezone: z.string().optional(),
  /** Customers this run scored: all, or only those whose result could have changed since the last full run. */
  /** histogram: ranked from the stored scores' counts plus the changed customers, or by grouping every aggregate. */
  scope: z
    .object({
      kind: z.enum(["all", "changed"]),
      customers: z.number(),
      histogram: z.enum(["counts", "aggregates"]).optional(),
    })
    .optional(),
});
export type RunStats = z.infer<typeof RunStats>;

export const GroupFigures = z.object({
  customers: z.number(),
  /** Net spend in the scoring window (decimal string). */
  revenue: z.string(),
  orders: z.number(),
  medianRecencyDays: z.number().nullable(),
});
export type GroupFigures = z.infer<typeof GroupFigures>;

/** Scored customers whose email / SMS marketing consent is SUBSCRIBED (app/domain/consent.ts). */
export const ConsentCounts = z.object({ email: z.number(), sms: z.number() });
export type ConsentCounts = z.infer<typeof ConsentCounts>;

/** Customers per segment and behaviour on one date of the stored history. */
export const SizesOnDate = z.object({
  date: z.string(),
  segments: z.record(z.string(), z.number()),
  behaviours: z.record(z.string(), z.number()),
});
export type SizesOnDate = z.infer<typeof SizesOnDate>;

export const RunSummary = z.object({
  total: GroupFigures,
  segments: z.record(z.string(), GroupFigures),
  behaviours: z.record(z.string(), GroupFigures),
  /** R × F cells: customers, revenue and the segment most of them are in. */
  grid: z.array(
    z.object({
      r: z.number(),
      f: z.number(),
      customers: z.number(),
      revenue: z.string(),
      segment: z.string(),
      /** Customers per segment in the cell, largest first (absent in summaries stored before it). */
      segments: z.array(z.object({ segment: z.string(), customers: z.number() })).optional(),
    }),
  ),
  /** Share of revenue (0–1) of the top P % of customers. */
  pareto: z.array(z.object({ percent: z.number(), share: z.number() })),
  movementFrom: z.string(),
  /** Customers from each segment on movementFrom to each segment on the run's date (null: not scored then). */
  movement: z.array(z.object({ from: z.string().nullable(), to: z.string().nullable(), customers: z.number() })),
  /**
   * Sizes on movementFrom and on each week before the run, oldest first (absent in summaries stored before
   * it; dates before the history starts count nobody).
   */
  sizes: z.array(SizesOnDate).optional(),
  /** Scored customers who accept email / SMS marketing, per segment and behaviour (absent in older summaries). */
  consent: z
    .object({ segments: z.record(z.string(), ConsentCounts), behaviours: z.record(z.string(), ConsentCounts) })
    .optional(),
});
export type RunSummary = z.infer<typeof RunSummary>;
