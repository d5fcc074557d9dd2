import type { GeneratedCustomer, GeneratedOrder } from "./generator";

/**
 * The part of Shopify's search syntax the app uses on `orders(query:)`:
 * space-separated (AND) terms `field:op value` on updated_at, created_at and
 * processed_at, with op one of > >= < <= or equality; values quoted or not.
 */
export type OrderFilter = (order: GeneratedOrder) => boolean;

const FIELDS: Record<string, (o: GeneratedOrder) => number> = {
  updated_at: (o) => o.updatedAt.getTime(),
  created_at: (o) => o.createdAt.getTime(),
  processed_at: (o) => o.processedAt.getTime(),
};

export function parseOrderQuery(query: string | undefined | null): OrderFilter {
  return parseTimeQuery(query, FIELDS);
}

/** A customer as `customers(query:)` filters it: updated_at is the shop's current state's. */
export interface CustomerState {
  customer: GeneratedCustomer;
  updatedAt: Date;
}

const CUSTOMER_FIELDS: Record<string, (c: CustomerState) => number> = {
  updated_at: (c) => c.updatedAt.getTime(),
  created_at: (c) => c.customer.createdAt.getTime(),
};

/** The same syntax on `customers(query:)` / `customersCount(query:)`: updated_at and created_at. */
export function parseCustomerQuery(query: string | undefined | null): (c: CustomerState) => boolean {
  return parseTimeQuery(query, CUSTOMER_FIELDS);
}

function parseTimeQuery<T>(
  query: string | undefined | null,
  FIELDS: Record<string, (t: T) => number>,
): (t: T) => boolean {
  type OrderFilter = (t: T) => boolean;
  if (!query || !query.trim()) return () => true;
  const terms = [...query.matchAll(/(\w+):(>=|<=|>|<)?('([^']*)'|"([^"]*)"|(\S+))/g)];
  const tests: OrderFilter[] = [];
  for (const term of terms) {
    const field = term[1] ?? "";
    const get = FIELDS[field];
    if (!get) continue; // Shopify ignores filters it does not know rather than failing
    const op = term[2] ?? "=";
    const raw = term[4] ?? term[5] ?? term[6] ?? "";
    const at = Date.parse(raw);
    if (Number.isNaN(at)) continue;
    tests.push((o) => {
      const v = get(o);
      return op === ">" ? v > at : op === ">=" ? v >= at : op === "<" ? v < at : op === "<=" ? v <= at : v === at;
    });
  }
  return (o) => tests.every((t) => t(o));
}

/**
 * A search made only of processed_at range terms (> >= < <=), as bounds on the timestamp; null for anything else.
 * The emulator counts such searches on a sorted array instead of a pass over every order — same answer, faster.
 */
export function processedAtBounds(query: string | undefined | null): ((sorted: Float64Array) => number) | null {
  if (!query || !query.trim()) return null;
  const terms = query.trim().split(/\s+/);
  const bounds: { op: string; at: number }[] = [];
  for (const term of terms) {
    const m = /^processed_at:(>=|<=|>|<)('([^']*)'|"([^"]*)"|(\S+))$/.exec(term);
    const at = Date.parse(m?.[3] ?? m?.[4] ?? m?.[5] ?? "");
    if (!m?.[1] || Number.isNaN(at)) return null;
    bounds.push({ op: m[1], at });
  }
  // First index whose value is >= v (or > v when strict).
  const index = (sorted: Float64Array, v: number, strict: boolean) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const x = sorted[mid] ?? 0;
      if (strict ? x <= v : x < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return (sorted) => {
    let from = 0;
    let to = sorted.length;
    for (const { op, at } of bounds) {
      if (op === ">=") from = Math.max(from, index(sorted, at, false));
      if (op === ">") from = Math.max(from, index(sorted, at, true));
      if (op === "<") to = Math.min(to, index(sorted, at, false));
      if (op === "<=") to = Math.min(to, index(sorted, at, true));
    }
    return Math.max(0, to - from);
  };
}
