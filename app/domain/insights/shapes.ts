import { z } from "zod";

/**
 * The stored shapes of InsightRun's JSON columns: written by app/pipeline/insights/, parsed with these on every read.
 * Shares are fractions of `customers`; amounts are shop currency, rounded to cents.
 */

/** What became of one group of customers (brought by a product, a vendor, a coupon…). */
export const GroupStats = z.object({
  key: z.string(),
  customers: z.number().int().nonnegative(),
  /** Customers with a further counted order (for first-order groups: a second order). */
  repeaters: z.number().int().nonnegative(),
  repeatRate: z.number().min(0).max(1),
  /** Wilson 95 % interval on repeatRate. */
  repeatLow: z.number().min(0).max(1),
  repeatHigh: z.number().min(0).max(1),
  /** Now in Champions or Loyal / in Lost, Lost but engaged or Hibernating. */
  loyal: z.number().int().nonnegative(),
  lost: z.number().int().nonnegative(),
  loyalShare: z.number().min(0).max(1),
  lostShare: z.number().min(0).max(1),
  /** Median net spend to date (all counted orders, after refunds). */
  medianNetSpend: z.number(),
});
export type GroupStats = z.infer<typeof GroupStats>;

/** A group with today's segment mix (customers per segment key; unscored customers are not in it). */
export const MixedGroupStats = GroupStats.extend({ segments: z.record(z.string(), z.number().int().nonnegative()) });
export type MixedGroupStats = z.infer<typeof MixedGroupStats>;

export const FirstOrderDimension = z.object({
  /** Groups with at least minSupport customers, most customers first. */
  groups: z.array(GroupStats),
  /** Groups left out for too few customers. */
  belowSupport: z.number().int().nonnegative(),
  /** Keys of groups, best first by the interval's lower bound on the repeat rate ("make loyal customers"). */
  makesLoyal: z.array(z.string()),
  /** Keys of groups, worst first by the interval's upper bound ("customers do not come back"). */
  noReturn: z.array(z.string()),
});
export type FirstOrderDimension = z.infer<typeof FirstOrderDimension>;

export const FirstProductsInsight = z.object({
  minSupport: z.number().int().positive(),
  /** Every customer with a counted order: the line each group is compared with. */
  shop: GroupStats,
  products: FirstOrderDimension,
  vendors: FirstOrderDimension,
  /** Product.productType of the first order's lines; absent in runs stored before product types were exported. */
  productTypes: FirstOrderDimension.optional(),
});
export type FirstProductsInsight = z.infer<typeof FirstProductsInsight>;

export const CouponInsight = z.object({
  /** First order with a discount code ("coupon") or without ("full price"). */
  firstOrder: z.object({ coupon: MixedGroupStats, fullPrice: MixedGroupStats }),
  /**
   * Among first-order coupon buyers who ordered again: second order with a code or without; repeaters here are
   * those who went on to a third order.
   */
  secondOrder: z.object({
    firstCouponBuyers: z.number().int().nonnegative(),
    oneTime: z.number().int().nonnegative(),
    coupon: MixedGroupStats,
    fullPrice: MixedGroupStats,
  }),
});
export type CouponInsight = z.infer<typeof CouponInsight>;

/** Customers by what Shopify's customerJourneySummary said about their first order. */
export const JourneyCoverage = z.object({
  customers: z.number().int().nonnegative(),
  /** Ready, with a first visit: the customers the channel tables count. */
  attributed: z.number().int().nonnegative(),
  /** Ready, no session recorded (no tracking consent, or not an online-store order). */
  noVisit: z.number().int().nonnegative(),
  /** Still ready: false when the run read it (orders.journeys asks again). */
  pending: z.number().int().nonnegative(),
  /** Shopify has no journey for the order (older orders). */
  none: z.number().int().nonnegative(),
  /** No journey stored yet (an order only webhooks brought, not asked yet). */
  unknown: z.number().int().nonnegative(),
});
export type JourneyCoverage = z.infer<typeof JourneyCoverage>;

export const ChannelInsight = z.object({
  minSupport: z.number().int().positive(),
  coverage: JourneyCoverage,
  /** Keys "tactic:source" of the first order's first visit (domain/insights/channels.ts splitChannel). */
  channels: FirstOrderDimension,
  /** UTM campaign of the first order's first visit. */
  campaigns: FirstOrderDimension,
});
export type ChannelInsight = z.infer<typeof ChannelInsight>;

export const CohortCell = z.object({
  /** Months since the cohort's first month (0 = that month). */
  offset: z.number().int().nonnegative(),
  /** Net spend of the cohort's orders up to this month, per cohort customer. */
  cumulativeNetPerCustomer: z.number(),
  /** Share of the cohort with a second counted order by the end of this month. */
  repeatRate: z.number().min(0).max(1),
});
export type CohortCell = z.infer<typeof CohortCell>;

export const Cohort = z.object({
  /** Month of the first counted order in the shop's time zone, YYYY-MM. */
  month: z.string().regex(/^\d{4}-\d{2}$/),
  customers: z.number().int().positive(),
  segments: z.record(z.string(), z.number().int().nonnegative()),
  cells: z.array(CohortCell),
});
export type Cohort = z.infer<typeof Cohort>;

export const CohortInsight = z.object({
  /** The run's month (shop time zone): the last column any cohort reaches. */
  asOfMonth: z.string().regex(/^\d{4}-\d{2}$/),
  cohorts: z.array(Cohort),
});
export type CohortInsight = z.infer<typeof CohortInsight>;
