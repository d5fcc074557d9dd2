import type { Money } from "../money";
import type { BehaviourKey } from "./behaviours";
import type { SegmentKey } from "./segments";

/**
 * Predictions as bands: what the metafields rfm.p_alive, rfm.predicted_value_12m
 * and rfm.expected_orders_365 hold, and what the three prediction behaviours
 * read. Predictions drift a little every day; bands move only when a customer
 * really changes, so the write-back only writes those.
 */

/** P(alive) in steps of 10 %: "0-10" … "90-100", lower bound inclusive (0.1 → "10-20", 1 → "90-100"). */
export const P_ALIVE_BANDS = [
  "0-10",
  "10-20",
  "20-30",
  "30-40",
  "40-50",
  "50-60",
  "60-70",
  "70-80",
  "80-90",
  "90-100",
] as const;
export type PAliveBand = (typeof P_ALIVE_BANDS)[number];

export function pAliveBandOf(pAlive: number): PAliveBand | null {
  if (!Number.isFinite(pAlive) || pAlive < 0 || pAlive > 1) return null;
  // Percent rounded to 1e-9 first, so 0.3 (0.30000000000000004) and 0.7 (6.999…) land where a person expects.
  const percent = Math.round(pAlive * 100 * 1e9) / 1e9;
  return P_ALIVE_BANDS[Math.min(9, Math.floor(percent / 10))] ?? null;
}

/** Expected orders in the next 365 days: lower bound inclusive. */
export const EXPECTED_ORDER_BANDS = [
  { band: "0-0.5", min: 0 },
  { band: "0.5-1", min: 0.5 },
  { band: "1-2", min: 1 },
  { band: "2-5", min: 2 },
  { band: "5+", min: 5 },
] as const;
export type ExpectedOrdersBand = (typeof EXPECTED_ORDER_BANDS)[number]["band"];

export function expectedOrdersBandOf(expected: number): ExpectedOrdersBand | null {
  if (!Number.isFinite(expected) || expected < 0) return null;
  let band: ExpectedOrdersBand | null = null;
  for (const b of EXPECTED_ORDER_BANDS) if (expected >= b.min) band = b.band;
  return band;
}

/**
 * Predicted 12-month value in tiers relative to the shop's own customers (fixed money tiers would mean nothing
 * across currencies and shop sizes): the same rule as the VIP tiers — in the top p % when fewer than p % of the
 * predicted customers have a strictly higher value (ties all in or all out) — and only with a positive value.
 * Nested tiers are reported as the highest one; "none": no positive value.
 */
export const VALUE_TIERS = [
  { tier: "top_10", percent: 10 },
  { tier: "top_25", percent: 25 },
  { tier: "top_50", percent: 50 },
] as const;
export type ValueTier = (typeof VALUE_TIERS)[number]["tier"] | "bottom_50" | "none";
export const VALUE_TIER_KEYS: readonly ValueTier[] = ["top_10", "top_25", "top_50", "bottom_50", "none"];
/** The tier rising stars must be in. */
export const TOP_VALUE_TIER: ValueTier = "top_10";

/** Lowest value inside each tier (null: tier empty), over every predicted customer's 12-month value. */
export type ValueTierThresholds = Record<(typeof VALUE_TIERS)[number]["tier"], number | null>;

export function valueTierThresholdsOf(values: readonly number[]): ValueTierThresholds {
  const n = values.length;
  const descending = values.filter(Number.isFinite).sort((a, b) => b - a);
  const result: ValueTierThresholds = { top_10: null, top_25: null, top_50: null };
  for (const { tier, percent } of VALUE_TIERS) {
    let better = 0;
    for (let i = 0; i < descending.length;) {
      const value = descending[i] ?? 0;
      let j = i;
      while (j < descending.length && descending[j] === value) j++;
      if (!(value > 0 && better * 100 < percent * n)) break;
      result[tier] = value;
      better = j;
      i = j;
    }
  }
  return result;
}

export function valueTierOf(value: number, thresholds: ValueTierThresholds): ValueTier | null {
  if (!Number.isFinite(value)) return null;
  if (value <= 0) return "none";
  for (const { tier } of VALUE_TIERS) {
    const min = thresholds[tier];
    if (min !== null && value >= min) return tier;
  }
  return "bottom_50";
}

/** The behaviours only predictions decide, in BEHAVIOUR_KEYS order (they come last there). */
export const PREDICTION_BEHAVIOURS = [
  "likely_to_churn",
  "rising_star",
  "ordering_soon",
] as const satisfies readonly BehaviourKey[];
export type PredictionBehaviour = (typeof PREDICTION_BEHAVIOURS)[number];

/** Segments a rising star is not in yet. */
const ARRIVED: readonly SegmentKey[] = ["champions", "loyal"];

export interface PredictionFacts {
  segment: SegmentKey;
  /** Lifetime net spend (the aggregate). */
  lifetimeSpend: Money;
  pAlive: number;
  pOrder30: number;
  valueTier: ValueTier | null;
}

export interface PredictionBehaviourContext {
  /** The shop's high-value threshold (settings.highValueMinSpend, else its top-5 % spend; null: nobody). */
  highValueMinSpend: Money | null;
  settings: { churnMaxPAlive: number; orderSoonMinP: number };
}

/**
 * Likely to churn: high value (the shop's high-value threshold, as VIP at risk) and P(alive) below the setting.
 * Rising star: predicted 12-month value in the top tier while not yet Champions or Loyal.
 * Ordering soon: P(an order in the next 30 days) at least the setting.
 */
export function predictionBehavioursOf(
  facts: PredictionFacts,
  context: PredictionBehaviourContext,
): PredictionBehaviour[] {
  const member: Record<PredictionBehaviour, boolean> = {
    likely_to_churn:
      context.highValueMinSpend !== null &&
      facts.lifetimeSpend >= context.highValueMinSpend &&
      facts.pAlive < context.settings.churnMaxPAlive,
    rising_star: facts.valueTier === TOP_VALUE_TIER && !ARRIVED.includes(facts.segment),
    ordering_soon: facts.pOrder30 >= context.settings.orderSoonMinP,
  };
  return PREDICTION_BEHAVIOURS.filter((key) => member[key]);
}

/** The customer's bands together, as written to the metafields. */
export interface PredictionBands {
  pAlive: PAliveBand;
  value: ValueTier;
  orders: ExpectedOrdersBand;
}
