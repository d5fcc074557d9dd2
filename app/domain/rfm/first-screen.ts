import type { SegmentKey } from "./segments";
import type { Scale } from "./scores";

/**
 * The dashboard's headline definitions: which segments are "best" and
 * "at risk", and which segment moves count as up or down.
 */

/** Revenue from the best customers: net spend in the window of these segments. */
export const BEST_SEGMENTS: readonly SegmentKey[] = ["champions", "loyal"];

/** Revenue at risk: net spend in the window of the customers slipping away. */
export const AT_RISK_SEGMENTS: readonly SegmentKey[] = ["at_risk", "cant_lose", "about_to_sleep"];

/**
 * A customer's value to the shop by segment, best first. Segments on one
 * step are alternatives, not better or worse (a new customer becoming
 * promising is no downgrade; lost and lost-but-engaged are both lost).
 */
const LADDER: Record<SegmentKey, number> = {
  champions: 0,
  loyal: 1,
  potential_loyalist: 2,
  new: 2,
  promising: 2,
  needs_attention: 3,
  about_to_sleep: 4,
  at_risk: 4,
  cant_lose: 4,
  hibernating: 5,
  lost: 6,
  lost_engaged: 6,
};

export type MoveDirection = "up" | "down" | "same" | "new" | "gone";

const stepOf = (key: string) => (key in LADDER ? LADDER[key as SegmentKey] : null);

/** Whether moving from one segment to another (null: not scored on that date) is an upgrade or a downgrade. */
export function moveDirection(from: string | null, to: string | null): MoveDirection {
  if (from === null) return "new";
  if (to === null) return "gone";
  const a = stepOf(from);
  const b = stepOf(to);
  if (a === null || b === null || a === b) return "same";
  return b < a ? "up" : "down";
}

/** Customers who moved to a lower step between two dates (moves between scored segments only). */
export function movedDown(moves: readonly { from: string | null; to: string | null; customers: number }[]): number {
  return moves.reduce((n, m) => n + (moveDirection(m.from, m.to) === "down" ? m.customers : 0), 0);
}

/**
 * Tie-aware ranks give every customer with the lowest order count F 1 and
 * the next count 1 + floor(S × share): at a share of 2 / S or more (40 % on
 * the 5-point scale) F 2 stays empty. Past that share fixed order-count
 * thresholds describe the shop better than ranks.
 */
export function lowestCountSkipsAScore(lowestShare: number, scale: Scale): boolean {
  return lowestShare >= 2 / scale;
}

/** The F scores no customer has, where some customers are scored. */
export function emptyScores(cells: readonly { f: number; customers: number }[], scale: number): number[] {
  const used = new Set(cells.filter((c) => c.customers > 0).map((c) => c.f));
  if (used.size === 0) return [];
  return Array.from({ length: scale }, (_, i) => i + 1).filter((f) => !used.has(f));
}
