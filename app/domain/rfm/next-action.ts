import { AT_RISK_SEGMENTS, BEST_SEGMENTS } from "./first-screen";
import type { SegmentKey } from "./segments";

/**
 * What the dashboard asks the merchant to do first: win back the slipping
 * segment with the most net spend at stake (money walking away is the most
 * urgent), else reward the best customers (Champions, then Loyal, by net
 * spend); nothing when neither has customers.
 */
export type NextAction = { kind: "win_back" | "reward"; segment: SegmentKey };

export function nextAction(
  segments: readonly { key: string; customers: number; revenue: string | number }[],
): NextAction | null {
  const pick = (keys: readonly SegmentKey[]) => {
    const candidates = keys
      .map((key, order) => {
        const row = segments.find((s) => s.key === key);
        return { key, order, customers: row?.customers ?? 0, revenue: Number(row?.revenue ?? 0) };
      })
      .filter((c) => c.customers > 0);
    // Most net spend first; on a tie more customers, then the list's own order.
    candidates.sort((a, b) => b.revenue - a.revenue || b.customers - a.customers || a.order - b.order);
    return candidates[0]?.key ?? null;
  };
  const slipping = pick(AT_RISK_SEGMENTS);
  if (slipping) return { kind: "win_back", segment: slipping };
  const best = pick(BEST_SEGMENTS);
  return best ? { kind: "reward", segment: best } : null;
}
