import type { Money } from "../money";
import { BEHAVIOUR_KEYS, VIP_TIERS, inTopPercent, type BehaviourKey } from "./behaviours";
import { engagedWithin } from "../engagement";
import type { BehaviourSettings } from "./settings";
import type { SegmentKey } from "./segments";
import type { PredictionBehaviour } from "./prediction-bands";

/**
 * The behavioural segments as pure rules. Scoring evaluates the same rules
 * set-wise in SQL (app/pipeline/score/scoring.server.ts, for speed on a
 * million customers); test/rfm/behaviour-rules.test.ts holds the two together.
 */

export type VipTierKey = (typeof VIP_TIERS)[number]["key"];

/** One scored customer's facts, as the scoring run reads them. */
export interface BehaviourInputs {
  /** Days from the last counted order (in the scoring window) to the run's day, never negative. */
  days: number;
  /** Net spend in the scoring window: the M value the VIP tiers rank. */
  monetary: Money;
  /** Lifetime net spend and order count (the aggregates). */
  lifetimeSpend: Money;
  lifetimeOrders: number;
  /** The first order fell in a peak season. */
  firstOrderInPeak: boolean;
  firstOrderDiscounted: boolean;
  /** A refund on or after the last order. */
  refundedSinceLastOrder: boolean;
  /** The customer's own average days between orders (null: one order). */
  usualGapDays: number | null;
  /** Counted orders placed on a launch day (launchDaysOf). */
  launchDayOrders: number;
  /** Every counted order has a line from one of the brand vendors (isBrandLoyal). */
  brandLoyal: boolean;
}

/** What the whole shop's run decides once for every customer. */
export interface BehaviourContext {
  /** Lowest net spend inside each VIP tier (vipMinSpendOf; null: tier empty). */
  vipMinSpend: Record<VipTierKey, Money | null>;
  /** settings.highValueMinSpend, else the top-5 % minimum (null: nobody). */
  highValueMinSpend: Money | null;
  /** The shop's median gap between orders, else the fallback from the settings. */
  shopUsualGapDays: number;
  settings: Pick<BehaviourSettings, "saleShopperMinOrders" | "highValueInactiveDays">;
}

/** A discount code counts as a sale only when this many orders used it (one-off codes are not sales). */
export const SALE_CODE_MIN_ORDERS = 3;

/** The behaviours scoring decides (the prediction ones are the prediction job's: prediction-bands.ts). */
export type RuleBehaviourKey = Exclude<BehaviourKey, PredictionBehaviour>;

/** The rule behaviours a customer is in, in BEHAVIOUR_KEYS order. */
export function behavioursOf(inputs: BehaviourInputs, context: BehaviourContext): RuleBehaviourKey[] {
  const atLeast = (value: Money, min: Money | null) => min !== null && value >= min;
  const member: Record<RuleBehaviourKey, boolean> = {
    vip_top_1: atLeast(inputs.monetary, context.vipMinSpend.vip_top_1),
    vip_top_5: atLeast(inputs.monetary, context.vipMinSpend.vip_top_5),
    vip_top_20: atLeast(inputs.monetary, context.vipMinSpend.vip_top_20),
    first_time_seasonal: inputs.firstOrderInPeak && inputs.lifetimeOrders === 1,
    coupon_shopper: inputs.firstOrderDiscounted,
    sale_shopper: inputs.launchDayOrders >= context.settings.saleShopperMinOrders,
    // Refunded and then quiet for longer than this customer (or the shop) usually waits.
    dissatisfied: inputs.refundedSinceLastOrder && inputs.days > (inputs.usualGapDays ?? context.shopUsualGapDays),
    brand_loyal: inputs.brandLoyal,
    high_value_at_risk:
      atLeast(inputs.lifetimeSpend, context.highValueMinSpend) && inputs.days >= context.settings.highValueInactiveDays,
  };
  return BEHAVIOUR_KEYS.filter((key): key is RuleBehaviourKey => key in member && member[key as RuleBehaviourKey]);
}

/**
 * Lowest net spend inside each VIP tier over every scored customer's M:
 * fewer than p % spent strictly more (ties all in or all out), and only
 * a positive spend.
 */
export function vipMinSpendOf(monetaries: readonly Money[]): Record<VipTierKey, Money | null> {
  const n = monetaries.length;
  const descending = [...monetaries].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  const result: Record<VipTierKey, Money | null> = { vip_top_1: null, vip_top_5: null, vip_top_20: null };
  for (const tier of VIP_TIERS) {
    let better = 0;
    for (let i = 0; i < n;) {
      const value = descending[i] as Money;
      let j = i;
      while (j < n && descending[j] === value) j++;
      if (!inTopPercent(better, n, tier.percent, value > 0n)) break;
      result[tier.key] = value;
      better = j;
      i = j;
    }
  }
  return result;
}

/** One counted order, for the launch-day and brand rules. */
export interface BehaviourOrder {
  /** Local calendar date (YYYY-MM-DD) in the shop's time zone. */
  localDay: string;
  discountCodes: readonly string[];
  vendors: readonly (string | null)[];
}

/**
 * Launch days: the first local day each discount code was used, for codes
 * used SALE_CODE_MIN_ORDERS times or more (case-insensitive), plus the peak
 * season starts; only days up to asOf. Sorted, distinct.
 */
export function launchDaysOf(
  countedOrders: readonly BehaviourOrder[],
  peakStarts: readonly string[],
  asOf: string,
): string[] {
  const codes = new Map<string, { uses: number; first: string }>();
  for (const order of countedOrders)
    for (const code of order.discountCodes) {
      const key = code.toLowerCase();
      const seen = codes.get(key);
      if (!seen) codes.set(key, { uses: 1, first: order.localDay });
      else {
        seen.uses++;
        if (order.localDay < seen.first) seen.first = order.localDay;
      }
    }
  const days = new Set(peakStarts);
  for (const { uses, first } of codes.values()) if (uses >= SALE_CODE_MIN_ORDERS) days.add(first);
  return [...days].filter((d) => d <= asOf).sort();
}

/** How many of a customer's counted orders fell on a launch day. */
export function launchDayOrdersOf(countedOrders: readonly BehaviourOrder[], launchDays: readonly string[]): number {
  const days = new Set(launchDays);
  return countedOrders.filter((o) => days.has(o.localDay)).length;
}

/** Brand loyal: the segment is on (vendors set) and every counted order has a line from one of them. */
export function isBrandLoyal(countedOrders: readonly BehaviourOrder[], brandVendors: readonly string[]): boolean {
  if (brandVendors.length === 0 || countedOrders.length === 0) return false;
  return countedOrders.every((o) => o.vendors.some((v) => v !== null && brandVendors.includes(v)));
}

export interface Engagement {
  lastVisitAt: Date | null;
  lastEmailClickAt: Date | null;
  /** Windowed signals from Shopify's own segment filters (domain/engagement.ts ENGAGEMENT_SIGNALS); 0 = none. */
  shopifySignals?: number;
}

const DAY_MS = 86_400_000;

/**
 * Lost but engaged: a lost customer who visited the store or clicked an
 * email lately (since midnight UTC of asOf minus N days) is told apart from one who
 * is simply gone.
 */
export function refinedSegment(
  segment: SegmentKey,
  engagement: Engagement | null,
  asOf: string,
  settings: Pick<BehaviourSettings, "lostEngagedVisitDays" | "lostEngagedClickDays">,
): SegmentKey {
  if (segment !== "lost" || !engagement) return segment;
  const asOfMs = Date.parse(`${asOf}T00:00:00Z`);
  const since = (at: Date | null, days: number) => at !== null && at.getTime() >= asOfMs - days * DAY_MS;
  // Shopify's signals: a product view is a visit, a Shopify Email click a click (Reloadify's rule, either source).
  const signals = engagement.shopifySignals ?? 0;
  return since(engagement.lastVisitAt, settings.lostEngagedVisitDays) ||
    since(engagement.lastEmailClickAt, settings.lostEngagedClickDays) ||
    engagedWithin(signals, "visit", settings.lostEngagedVisitDays) ||
    engagedWithin(signals, "click", settings.lostEngagedClickDays)
    ? "lost_engaged"
    : segment;
}
