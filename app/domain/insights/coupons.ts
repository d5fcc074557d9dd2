import { emptyGroup, mixedGroupStats } from "./group-stats";
import type { CouponInsight, MixedGroupStats } from "./shapes";

/**
 * One row of pipeline/insights/coupon-groups.sql: kind "first" (every customer, by first-order code) or "second"
 * (first-order coupon buyers who ordered again, by second-order code); segment null = the group's total.
 */
export interface CouponRow {
  kind: string;
  coupon: boolean;
  segment: string | null;
  customers: number;
  repeaters: number;
  medianNetSpend: number;
}

function group(rows: readonly CouponRow[], kind: string, coupon: boolean): MixedGroupStats {
  const mine = rows.filter((r) => r.kind === kind && r.coupon === coupon);
  const total = mine.find((r) => r.segment === null);
  const key = coupon ? "coupon" : "full_price";
  if (!total) return emptyGroup(key);
  const segments: Record<string, number> = {};
  for (const r of mine) if (r.segment !== null) segments[r.segment] = r.customers;
  return mixedGroupStats(
    { key, customers: total.customers, repeaters: total.repeaters, medianNetSpend: total.medianNetSpend },
    segments,
  );
}

export function couponInsight(rows: readonly CouponRow[]): CouponInsight {
  const firstCoupon = group(rows, "first", true);
  return {
    firstOrder: { coupon: firstCoupon, fullPrice: group(rows, "first", false) },
    secondOrder: {
      firstCouponBuyers: firstCoupon.customers,
      oneTime: firstCoupon.customers - firstCoupon.repeaters,
      coupon: group(rows, "second", true),
      fullPrice: group(rows, "second", false),
    },
  };
}
