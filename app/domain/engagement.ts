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
