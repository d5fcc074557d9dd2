import { firstOrderDimension, MIN_SUPPORT } from "./first-products";
import type { GroupCounts } from "./group-stats";
import type { ChannelInsight, JourneyCoverage } from "./shapes";

/** Channel keys are "tactic:source": Shopify's MarketingTactic in lower case ("none" when it names none), then the source. */
export function splitChannel(key: string): { tactic: string; source: string } {
  const at = key.indexOf(":");
  return at < 0 ? { tactic: "none", source: key } : { tactic: key.slice(0, at), source: key.slice(at + 1) };
}

/** Customers per journey state of their first order (first-order-groups.sql dim 'journey'). */
export function journeyCoverage(rows: readonly GroupCounts[]): JourneyCoverage {
  const count = (state: string) => rows.find((r) => r.key === state)?.customers ?? 0;
  return {
    customers: rows.reduce((n, r) => n + r.customers, 0),
    attributed: count("attributed"),
    noVisit: count("no_visit"),
    pending: count("pending"),
    none: count("none"),
    unknown: count("unknown"),
  };
}

/** Where the customers came from: the first order's channel and UTM campaign, with the first-products rules. */
export function channelInsight(
  counts: { channels: readonly GroupCounts[]; campaigns: readonly GroupCounts[]; journeys: readonly GroupCounts[] },
  minSupport = MIN_SUPPORT,
): ChannelInsight {
  return {
    minSupport,
    coverage: journeyCoverage(counts.journeys),
    channels: firstOrderDimension(counts.channels, minSupport),
    campaigns: firstOrderDimension(counts.campaigns, minSupport),
  };
}
