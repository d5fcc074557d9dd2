import type { GeneratedCustomer, GeneratedOrder } from "../emulator/generator";
import { orderPayload, refundPayload } from "../emulator/shapes";
import type { Random } from "../emulator/random";
import { truthFromGenerated, type TruthOrder } from "./expected-aggregates";

/**
 * The live webhook streams the property tests send: each order's life as Shopify reports it, merges, delivery
 * disorder — and the intended final state an independent oracle computes the aggregates from.
 */

export interface StreamEvent {
  topic: string;
  payload: unknown;
}

/** What an order's final state is after the stream: the generated order, and whether a delete came last. */
export type FinalOrders = Map<number, { order: GeneratedOrder; deleted: boolean }>;

/** The order as orders/create reports it: not cancelled, nothing refunded yet. */
export function openedOrder(o: GeneratedOrder): GeneratedOrder {
  return {
    ...o,
    cancelledAt: null,
    refunds: [],
    totalRefundedCents: 0,
    currentTotalCents: o.totalCents,
    updatedAt: o.createdAt,
  };
}

/** REST refund amounts in shop money: presentment transactions converted at the order's rate, to the cent. */
export function webhookRefundCents(o: GeneratedOrder, amountCents: number): number {
  if (o.presentmentRate === 1) return amountCents;
  const presentment = BigInt(Math.round(amountCents * o.presentmentRate));
  const shopTotal = BigInt(o.totalCents);
  const presentmentTotal = BigInt(Math.round(o.totalCents * o.presentmentRate));
  return Number((presentment * shopTotal + presentmentTotal / 2n) / presentmentTotal);
}

/**
 * Each order's life: orders/create, sometimes a no-op orders/updated (`noopUpdates`), then orders/cancelled or the
 * refunded orders/updated with its refunds/create, and for 8 % an orders/delete.
 */
export function orderLifeEvents(
  orders: Iterable<GeneratedOrder>,
  customerOf: (o: GeneratedOrder) => GeneratedCustomer | undefined,
  rng: Random,
  options: { noopUpdates: boolean },
): { events: StreamEvent[]; finalState: FinalOrders } {
  const events: StreamEvent[] = [];
  const finalState: FinalOrders = new Map();
  for (const o of orders) {
    const customer = customerOf(o);
    events.push({ topic: "orders/create", payload: orderPayload(openedOrder(o), customer) });
    if (options.noopUpdates && rng.chance(0.2)) {
      const noop = { ...openedOrder(o), updatedAt: new Date(o.createdAt.getTime() + 1_800_000) };
      events.push({ topic: "orders/updated", payload: orderPayload(noop, customer) });
    }
    if (o.cancelledAt) events.push({ topic: "orders/cancelled", payload: orderPayload(o, customer) });
    else if (o.refunds.length > 0) events.push({ topic: "orders/updated", payload: orderPayload(o, customer) });
    for (const r of o.refunds) events.push({ topic: "refunds/create", payload: refundPayload(o, r) });
    const deleted = rng.chance(0.08);
    if (deleted) events.push({ topic: "orders/delete", payload: { id: o.id } });
    finalState.set(o.id, { order: o, deleted });
  }
  return { events, finalState };
}

/** customers/merge: `gone` merged into `kept`. */
export function mergeEvent(gone: number, kept: number): StreamEvent {
  return {
    topic: "customers/merge",
    payload: {
      admin_graphql_api_customer_kept_id: `gid://shopify/Customer/${kept}`,
      admin_graphql_api_customer_deleted_id: `gid://shopify/Customer/${gone}`,
      admin_graphql_api_job_id: null,
      status: "completed",
    },
  };
}

/** Merges of buyer pairs from `from` below `upTo`: the second of each pair is kept. */
export function pairMerges(buyers: number[], merged: Map<number, number>, from = 0, upTo = 10): StreamEvent[] {
  const events: StreamEvent[] = [];
  for (let p = from; p + 1 < Math.min(upTo, buyers.length); p += 2) {
    const [gone, kept] = [buyers[p] as number, buyers[p + 1] as number];
    merged.set(gone, kept);
    events.push(mergeEvent(gone, kept));
  }
  return events;
}

/** Fisher–Yates in place: any arrival order. */
export function shuffle<T>(items: T[], rng: Random): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}

/**
 * What the aggregates must be computed from: the backfilled orders as they were, the live ones in their final state
 * (deleted or not, refunds as the webhooks carry them), every customer resolved through the merge chains.
 */
export function intendedOrders(
  backfilled: Iterable<GeneratedOrder>,
  finalState: FinalOrders,
  merged: Map<number, number>,
): TruthOrder[] {
  const resolve = (id: number) => {
    let current = id;
    for (let next = merged.get(current); next !== undefined; next = merged.get(current)) current = next;
    return current;
  };
  const truth: TruthOrder[] = [...backfilled].map((o) => truthFromGenerated(o, resolve));
  for (const { order, deleted } of finalState.values())
    truth.push({
      ...truthFromGenerated(order, resolve),
      deleted,
      refunds: order.refunds.map((r) => ({
        createdAt: r.createdAt,
        amountCents: webhookRefundCents(order, r.amountCents),
      })),
    });
  return truth;
}
