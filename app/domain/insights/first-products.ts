import { groupStats, type GroupCounts } from "./group-stats";
import type { FirstOrderDimension, FirstProductsInsight, GroupStats } from "./shapes";

/** A product (or vendor) is ranked only when at least this many customers' first order had it. */
export const MIN_SUPPORT = 30;
/** Length of each ranked list. */
export const RANKED_LIST_LENGTH = 20;

const byCustomers = (a: GroupStats, b: GroupStats) => b.customers - a.customers || (a.key < b.key ? -1 : 1);

/**
 * Groups below minSupport are counted, not shown. The two lists rank on the Wilson bounds, not the raw rate, so a
 * small group needs a clearly better (or worse) rate to beat a big one.
 */
export function firstOrderDimension(rows: readonly GroupCounts[], minSupport = MIN_SUPPORT): FirstOrderDimension {
  const groups = rows
    .filter((r) => r.customers >= minSupport)
    .map(groupStats)
    .sort(byCustomers);
  return {
    groups,
    belowSupport: rows.length - groups.length,
    makesLoyal: [...groups]
      .sort((a, b) => b.repeatLow - a.repeatLow || byCustomers(a, b))
      .slice(0, RANKED_LIST_LENGTH)
      .map((g) => g.key),
    noReturn: [...groups]
      .sort((a, b) => a.repeatHigh - b.repeatHigh || byCustomers(a, b))
      .slice(0, RANKED_LIST_LENGTH)
      .map((g) => g.key),
  };
}

export function firstProductsInsight(
  counts: {
    shop: GroupCounts;
    products: readonly GroupCounts[];
    vendors: readonly GroupCounts[];
    productTypes: readonly GroupCounts[];
  },
  minSupport = MIN_SUPPORT,
): FirstProductsInsight {
  return {
    minSupport,
    shop: groupStats(counts.shop),
    products: firstOrderDimension(counts.products, minSupport),
    vendors: firstOrderDimension(counts.vendors, minSupport),
    productTypes: firstOrderDimension(counts.productTypes, minSupport),
  };
}

/** Whether a group's interval lies wholly above (1), below (-1) or around (0) the shop's repeat rate. */
export function againstShop(group: GroupStats, shop: GroupStats): -1 | 0 | 1 {
  if (group.repeatLow > shop.repeatRate) return 1;
  if (group.repeatHigh < shop.repeatRate) return -1;
  return 0;
}
