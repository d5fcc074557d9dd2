import type { CsvColumn } from "../csv";
import type { ChannelInsight, CohortInsight, CouponInsight, FirstProductsInsight, GroupStats } from "./shapes";

/** One CSV row of a group table: which list it is in, and the group. */
export interface GroupCsvRow {
  dimension: string;
  group: GroupStats;
}

export interface InsightCsvHeaders {
  dimension: string;
  key: string;
  customers: string;
  repeaters: string;
  repeatRate: string;
  repeatLow: string;
  repeatHigh: string;
  loyalShare: string;
  lostShare: string;
  medianNetSpend: string;
  cohort: string;
  monthsSince: string;
  cumulativeNet: string;
}

const fraction = (x: number) => Math.round(x * 10_000) / 10_000;

export function groupCsvColumns(h: InsightCsvHeaders): CsvColumn<GroupCsvRow>[] {
  return [
    { header: h.dimension, cell: (r) => r.dimension },
    { header: h.key, cell: (r) => r.group.key },
    { header: h.customers, cell: (r) => r.group.customers },
    { header: h.repeaters, cell: (r) => r.group.repeaters },
    { header: h.repeatRate, cell: (r) => fraction(r.group.repeatRate) },
    { header: h.repeatLow, cell: (r) => fraction(r.group.repeatLow) },
    { header: h.repeatHigh, cell: (r) => fraction(r.group.repeatHigh) },
    { header: h.loyalShare, cell: (r) => fraction(r.group.loyalShare) },
    { header: h.lostShare, cell: (r) => fraction(r.group.lostShare) },
    { header: h.medianNetSpend, cell: (r) => ({ amount: r.group.medianNetSpend.toFixed(2) }) },
  ];
}

/** The shop line first, then every product, vendor and product type with enough support. */
export function firstProductCsvRows(
  insight: FirstProductsInsight,
  names: { shop: string; product: string; vendor: string; productType: string },
): GroupCsvRow[] {
  return [
    { dimension: names.shop, group: insight.shop },
    ...insight.products.groups.map((group) => ({ dimension: names.product, group })),
    ...insight.vendors.groups.map((group) => ({ dimension: names.vendor, group })),
    ...(insight.productTypes?.groups ?? []).map((group) => ({ dimension: names.productType, group })),
  ];
}

/** The shop line, then every channel ("tactic:source") and UTM campaign of the first visit with enough support. */
export function channelCsvRows(
  insight: ChannelInsight,
  shop: GroupStats,
  names: { shop: string; channel: string; campaign: string },
): GroupCsvRow[] {
  return [
    { dimension: names.shop, group: shop },
    ...insight.channels.groups.map((group) => ({ dimension: names.channel, group })),
    ...insight.campaigns.groups.map((group) => ({ dimension: names.campaign, group })),
  ];
}

export function couponCsvRows(insight: CouponInsight, names: { first: string; second: string }): GroupCsvRow[] {
  return [
    { dimension: names.first, group: insight.firstOrder.coupon },
    { dimension: names.first, group: insight.firstOrder.fullPrice },
    { dimension: names.second, group: insight.secondOrder.coupon },
    { dimension: names.second, group: insight.secondOrder.fullPrice },
  ];
}

export interface CohortCsvRow {
  month: string;
  customers: number;
  offset: number;
  cumulativeNetPerCustomer: number;
  repeatRate: number;
}

export function cohortCsvRows(insight: CohortInsight): CohortCsvRow[] {
  return insight.cohorts.flatMap((c) => c.cells.map((cell) => ({ month: c.month, customers: c.customers, ...cell })));
}

export function cohortCsvColumns(h: InsightCsvHeaders): CsvColumn<CohortCsvRow>[] {
  return [
    { header: h.cohort, cell: (r) => r.month },
    { header: h.customers, cell: (r) => r.customers },
    { header: h.monthsSince, cell: (r) => r.offset },
    { header: h.cumulativeNet, cell: (r) => ({ amount: r.cumulativeNetPerCustomer.toFixed(2) }) },
    { header: h.repeatRate, cell: (r) => fraction(r.repeatRate) },
  ];
}
