import { z } from "zod";

/**
 * Behavioural segments: a customer can be in several of these alongside the
 * one RFM segment. Keys are stable forever (they go into tags).
 */
export const BEHAVIOUR_KEYS = [
  "vip_top_1",
  "vip_top_5",
  "vip_top_20",
  "first_time_seasonal",
  "coupon_shopper",
  "sale_shopper",
  "dissatisfied",
  "brand_loyal",
  "high_value_at_risk",
  // Decided by the prediction job, not by scoring (prediction-bands.ts); scoring keeps them as they are.
  "likely_to_churn",
  "rising_star",
  "ordering_soon",
] as const;
export const BehaviourKey = z.enum(BEHAVIOUR_KEYS);
export type BehaviourKey = z.infer<typeof BehaviourKey>;

/** Top-p % by net spend (nested: a top-1 % customer is also top 5 % and top 20 %). */
export const VIP_TIERS = [
  { key: "vip_top_1", percent: 1 },
  { key: "vip_top_5", percent: 5 },
  { key: "vip_top_20", percent: 20 },
] as const satisfies readonly { key: BehaviourKey; percent: number }[];

/**
 * In the top p % when fewer than p % of the scored customers spent strictly
 * more (ties are all in or all out), and only with a positive net spend.
 */
export function inTopPercent(strictlyBetter: number, n: number, percent: number, monetaryPositive: boolean): boolean {
  return monetaryPositive && strictlyBetter * 100 < percent * n;
}

/**
 * The behaviours as a person reads them: the VIP tiers are nested (a top-1 % customer is also top 5 % and 20 %),
 * so only the highest tier a customer is in is shown. Other behaviours keep their order.
 */
export function collapseVipTiers<T extends string>(keys: readonly T[]): T[] {
  const tiers: readonly string[] = VIP_TIERS.map((t) => t.key);
  const highest = tiers.find((tier) => keys.some((k) => k === tier));
  return keys.filter((k) => !tiers.includes(k) || k === highest);
}
