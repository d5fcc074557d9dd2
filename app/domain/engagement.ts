/**
 * Engagement from the web pixel: the rate limiter that guards the public
 * endpoint and the "browses often, never bought" rule. Pure; clocks injected.
 */

export interface BucketRule {
  /** Tokens refilled per minute (and the bucket's size: a full minute's worth of burst). */
  perMinute: number;
}

/**
 * Token buckets per key in a bounded map. A key that has been idle long
 * enough to refill is the same as a new one, so those are dropped first when
 * the map is full; past that the oldest key goes (an attacker with many
 * addresses only resets buckets, never grows memory).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rule: BucketRule,
    private readonly maxKeys = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token; null when allowed, else the seconds until one is available. */
  take(key: string): number | null {
    const now = this.now();
    const perMs = this.rule.perMinute / 60_000;
    const held = this.buckets.get(key);
    let tokens = held
      ? Math.min(this.rule.perMinute, held.tokens + Math.max(0, now - held.at) * perMs)
      : this.rule.perMinute;
    if (held)
      this.buckets.delete(key); // re-insert: Map order is least recently used first
    else if (this.buckets.size >= this.maxKeys) this.evict(now);
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now });
      return Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
    }
    tokens -= 1;
    this.buckets.set(key, { tokens, at: now });
    return null;
  }

  get size(): number {
    return this.buckets.size;
  }

  private evict(now: number): void {
    const full = 60_000; // a bucket idle for a minute is full again
    for (const [key, b] of this.buckets) if (now - b.at >= full) this.buckets.delete(key);
    while (this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next();
      if (oldest.done) break;
      this.buckets.delete(oldest.value);
    }
  }
}

/** Days (YYYY-MM-DD) counted over (today − withinDays, today]. */
export function visitDaysWithin(days: readonly string[], today: string, withinDays: number): number {
  const end = Date.parse(`${today}T00:00:00Z`);
  const start = end - withinDays * 86_400_000;
  return new Set(
    days.filter((d) => {
      const t = Date.parse(`${d}T00:00:00Z`);
      return t > start && t <= end;
    }),
  ).size;
}

export interface BrowserRule {
  minDays: number;
  withinDays: number;
}

export const DEFAULT_BROWSER_RULE: BrowserRule = { minDays: 3, withinDays: 30 };

/** "Browses often, never bought": enough distinct visit days lately and no counted order ever. */
export function browsesOftenNeverBought(
  visitDays: readonly string[],
  hasCountedOrder: boolean,
  today: string,
  rule: BrowserRule = DEFAULT_BROWSER_RULE,
): boolean {
  return !hasCountedOrder && visitDaysWithin(visitDays, today, rule.withinDays) >= rule.minDays;
}

/**
 * Engagement Shopify itself knows (Shopify Email clicks, storefront product views), learnt through segment
 * membership. Membership carries no dates, so each signal is one windowed query; a customer's signals are a bit
 * mask. Syntax per Shopify's segment query language reference: `shopify_email.clicked MATCHES (date > -30d)`,
 * `storefront_event.product_viewed MATCHES (date > -30d)` (dates are whole days in the given time zone, `> -30d`
 * is the last 30 days up to today).
 */
export const ENGAGEMENT_SIGNALS = [
  { key: "clicked_email_30", bit: 1, filter: "shopify_email.clicked", kind: "click", days: 30 },
  { key: "clicked_email_90", bit: 2, filter: "shopify_email.clicked", kind: "click", days: 90 },
  { key: "clicked_email_180", bit: 4, filter: "shopify_email.clicked", kind: "click", days: 180 },
  { key: "viewed_product_30", bit: 8, filter: "storefront_event.product_viewed", kind: "visit", days: 30 },
  { key: "viewed_product_90", bit: 16, filter: "storefront_event.product_viewed", kind: "visit", days: 90 },
] as const;

export type EngagementSignal = (typeof ENGAGEMENT_SIGNALS)[number];
export type SignalKind = EngagementSignal["kind"];

/** The segment query whose members have the signal. */
export function signalQuery(signal: EngagementSignal): string {
  return `${signal.filter} MATCHES (date > -${signal.days}d)`;
}

/** The signals a shop can have: those whose filter segmentFilters lists. */
export function availableSignals(filterNames: readonly string[]): EngagementSignal[] {
  return ENGAGEMENT_SIGNALS.filter((s) => filterNames.includes(s.filter));
}

/**
 * The bits of every signal of a kind whose window lies within `days`: any of them means engagement within `days`
 * (a rule "clicked in the last 100 days" reads clicked_email_30 and _90, never the wider 180). 0 when none fits.
 */
export function signalMaskWithin(kind: SignalKind, days: number): number {
  return ENGAGEMENT_SIGNALS.filter((s) => s.kind === kind && s.days <= days).reduce((mask, s) => mask | s.bit, 0);
}

/** Whether a customer's signal mask shows engagement of a kind within `days`. */
export function engagedWithin(mask: number, kind: SignalKind, days: number): boolean {
  return (mask & signalMaskWithin(kind, days)) !== 0;
}

/**
 * "Browses often, never bought" as a Shopify segment on Shopify's own filters, where the shop has them: viewed a
 * product in the rule's window and no orders. Shopify's segment filters count no distinct visit days, so this is the
 * broader "browsed lately, never bought"; the app's page keeps the pixel's visit-day rule.
 */
export function browserSegmentQuery(rule: BrowserRule = DEFAULT_BROWSER_RULE): string {
  return `storefront_event.product_viewed MATCHES (date > -${rule.withinDays}d) AND number_of_orders = 0`;
}

/** The key among the app's segments: ShopifySegment.key, its tag (rfm-browsing), Flow's segment key (also in the SQL of pipeline/score and write-back). */
export const BROWSER_SEGMENT_KEY = "browsing";
