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
