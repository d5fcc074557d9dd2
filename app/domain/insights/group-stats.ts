import { LOST_SEGMENTS, LOYAL_SEGMENTS } from "./segment-groups";
import type { GroupStats, MixedGroupStats } from "./shapes";
import { wilsonInterval } from "./wilson";

/** What the SQL counts for one group of customers. */
export interface GroupCounts {
  key: string;
  customers: number;
  repeaters: number;
  loyal: number;
  lost: number;
  medianNetSpend: number;
}

const cents = (amount: number) => Math.round(amount * 100) / 100;
const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

export function groupStats(c: GroupCounts): GroupStats {
  const interval = wilsonInterval(c.repeaters, c.customers);
  return {
    key: c.key,
    customers: c.customers,
    repeaters: c.repeaters,
    repeatRate: share(c.repeaters, c.customers),
    repeatLow: interval.low,
    repeatHigh: interval.high,
    loyal: c.loyal,
    lost: c.lost,
    loyalShare: share(c.loyal, c.customers),
    lostShare: share(c.lost, c.customers),
    medianNetSpend: cents(c.medianNetSpend),
  };
}

/** A group from its totals and today's segment mix (loyal and lost are read off the mix). */
export function mixedGroupStats(
  c: Omit<GroupCounts, "loyal" | "lost">,
  segments: Record<string, number>,
): MixedGroupStats {
  const sum = (keys: readonly string[]) => keys.reduce((n, k) => n + (segments[k] ?? 0), 0);
  return {
    ...groupStats({ ...c, loyal: sum(LOYAL_SEGMENTS), lost: sum(LOST_SEGMENTS) }),
    segments,
  };
}

/** An empty group (no customers): every share 0, the interval the whole range. */
export function emptyGroup(key: string): MixedGroupStats {
  return mixedGroupStats({ key, customers: 0, repeaters: 0, medianNetSpend: 0 }, {});
}
