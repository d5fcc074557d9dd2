import { z } from "zod";
import type { ChannelInsight, CohortInsight, CouponInsight, FirstProductsInsight } from "./shapes";

/** The insight groups whose customers are listed (InsightMember.dim, fill-insight-members.sql). */
export const InsightDim = z.enum(["product", "vendor", "product_type", "channel", "campaign", "coupon", "cohort"]);
export type InsightDim = z.infer<typeof InsightDim>;

/** Coupon group keys: the first order with or without a code, and the second order of first-order coupon buyers. */
export const COUPON_KEYS = {
  firstCoupon: "first:true",
  firstFullPrice: "first:false",
  secondCoupon: "second:true",
  secondFullPrice: "second:false",
} as const;

interface StoredInsights {
  firstProducts: FirstProductsInsight;
  couponCohorts: CouponInsight;
  cohorts: CohortInsight;
  channels: ChannelInsight | null;
}

/**
 * How many customers the stored run counted in one group (the figure its row shows), or null when the run shows no
 * such group (below the minimum support, or not a key of that insight).
 */
export function storedGroupCustomers(insights: StoredInsights, dim: InsightDim, key: string): number | null {
  const inGroups = (groups: readonly { key: string; customers: number }[] | undefined) =>
    groups?.find((g) => g.key === key)?.customers ?? null;
  const { firstProducts, couponCohorts, cohorts, channels } = insights;
  switch (dim) {
    case "product":
      return inGroups(firstProducts.products.groups);
    case "vendor":
      return inGroups(firstProducts.vendors.groups);
    case "product_type":
      return inGroups(firstProducts.productTypes?.groups);
    case "channel":
      return inGroups(channels?.channels.groups);
    case "campaign":
      return inGroups(channels?.campaigns.groups);
    case "cohort":
      return cohorts.cohorts.find((c) => c.month === key)?.customers ?? null;
    case "coupon": {
      const groups: Record<string, number> = {
        [COUPON_KEYS.firstCoupon]: couponCohorts.firstOrder.coupon.customers,
        [COUPON_KEYS.firstFullPrice]: couponCohorts.firstOrder.fullPrice.customers,
        [COUPON_KEYS.secondCoupon]: couponCohorts.secondOrder.coupon.customers,
        [COUPON_KEYS.secondFullPrice]: couponCohorts.secondOrder.fullPrice.customers,
      };
      return groups[key] ?? null;
    }
  }
}

/**
 * The Shopify segment queries closest to a first-product group. Shopify's segment query language has no filter for
 * "the first order contained X": its Products purchased filter matches an order at any time. Syntax from Shopify's
 * customer segment template examples (@shopify/ui-extensions, admin.customers.segmentation-templates.render):
 *   "products_purchased(id: (product_id)) = true" and "number_of_orders = 1 AND products_purchased(id: (product_id)) = true".
 * So: everyone who ever bought the product (the first-product group and more), and those whose only order
 * contained it (in the group, and of it exactly those who did not come back — by Shopify's order count).
 * Coupon groups have no query: the filter list of Shopify's reference (help.shopify.com/en/manual/customers/
 * customer-segmentation/reference-guide/shopify-segments) has no discount-code filter.
 */
export function shopifyProductQueries(productId: string): { everBought: string; onlyOrder: string } | null {
  if (!/^\d{1,19}$/.test(productId)) return null;
  const bought = `products_purchased(id: (${productId})) = true`;
  return { everBought: bought, onlyOrder: `number_of_orders = 1 AND ${bought}` };
}
