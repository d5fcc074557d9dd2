import type { DbTx } from "../../../platform/db.server";
import { execute, queryRows } from "../../../platform/db/sql.server";
import { refundFromRest, type OrderRecord, type RestRefundPayload } from "../../../domain/orders";
import { formatMoney, parseMoney } from "../../../domain/money";
import { aggregateContext, recomputeAggregates } from "../../aggregate/aggregates.server";
import { lockShopShared } from "../../aggregate/locks.server";
import { queueRescore } from "../../score/rescore-queue.server";
import type { CustomerPatch, InboxChange } from "./webhook-topic";

/** The changes the applier applies set-based (everything but control events). */
export type DataChange = Exclude<InboxChange, { kind: "control" }>;

export interface AppliedChanges {
  /** Customers whose aggregates were recomputed and whose re-score is queued (PendingRescore). */
  rescored: bigint[];
}

type OrderState = Extract<DataChange, { kind: "order" }>;
type CustomerOp = { kind: "patch"; patch: CustomerPatch } | { kind: "tombstone" };

/**
 * What a run of events asks for once collapsed, so each statement touches a row once: per order the newest state
 * (by updated_at, ties → the later event) unless the order is deleted (tombstones win); per refund the last event;
 * per customer its patches and tombstones in arrival order; per merged-away customer the last merge.
 */
interface Collapsed {
  merges: Map<bigint, bigint>;
  orders: Map<bigint, OrderState>;
  orderDeletes: Set<bigint>;
  refunds: Map<bigint, RestRefundPayload>;
  customers: Map<bigint, CustomerOp[]>;
  customerDeletes: Set<bigint>;
}

function collapse(changes: DataChange[]): Collapsed {
  const c: Collapsed = {
    merges: new Map(),
    orders: new Map(),
    orderDeletes: new Set(),
    refunds: new Map(),
    customers: new Map(),
    customerDeletes: new Set(),
  };
  const customerOp = (id: bigint, op: CustomerOp) => {
    const ops = c.customers.get(id);
    if (ops) ops.push(op);
    else c.customers.set(id, [op]);
  };
  for (const change of changes) {
    switch (change.kind) {
      case "order": {
        const held = c.orders.get(change.order.id);
        if (!held || held.order.updatedAt <= change.order.updatedAt) c.orders.set(change.order.id, change);
        break;
      }
      case "orderDelete":
        c.orderDeletes.add(change.orderId);
        break;
      case "refund":
        c.refunds.set(change.refund.id, change.refund);
        break;
      case "customer":
        customerOp(change.customer.id, { kind: "patch", patch: change.customer });
        break;
      case "customerDelete":
        c.customerDeletes.add(change.customerId);
        customerOp(change.customerId, { kind: "tombstone" });
        break;
      case "merge":
        if (change.fromId === change.intoId) break;
        c.merges.set(change.fromId, change.intoId);
        customerOp(change.fromId, { kind: "tombstone" });
        break;
      case "none":
        break;
    }
  }
  for (const id of c.orderDeletes) c.orders.delete(id);
  return c;
}

const byId = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
const iso = (d: Date | null) => (d === null ? null : d.toISOString());

function orderJson(states: OrderState[]) {
  const orders: unknown[] = [];
  const lines: unknown[] = [];
  const refunds: unknown[] = [];
  for (const { order: o, presentmentTotal } of states) {
    orders.push({
      id: String(o.id),
      customerId: o.customerId === null ? null : String(o.customerId),
      name: o.name,
      createdAt: iso(o.createdAt),
      processedAt: iso(o.processedAt),
      updatedAt: iso(o.updatedAt),
      cancelledAt: iso(o.cancelledAt),
      test: o.test,
      currency: o.currency,
      totalPrice: formatMoney(o.totalPrice),
      currentTotalPrice: formatMoney(o.currentTotalPrice),
      totalRefunded: formatMoney(o.totalRefunded),
      presentmentTotalPrice: presentmentTotal === null ? null : formatMoney(presentmentTotal),
      discountCodes: o.discountCodes,
    });
    // A line id twice in one payload: the first one stands (as a skip-duplicates insert would keep it).
    const seen = new Set<bigint>();
    for (const l of o.lines) {
      if (seen.has(l.id)) continue;
      seen.add(l.id);
      lines.push({
        orderId: String(o.id),
        id: String(l.id),
        productId: l.productId === null ? null : String(l.productId),
        vendor: l.vendor,
        quantity: l.quantity,
        amount: formatMoney(l.amount),
      });
    }
    const embedded = new Map(o.refunds.map((r) => [r.id, r]));
    for (const r of embedded.values())
      refunds.push({
        id: String(r.id),
        orderId: String(r.orderId),
        createdAt: iso(r.createdAt),
        amount: formatMoney(r.amount),
      });
  }
  return { orders: JSON.stringify(orders), lines: JSON.stringify(lines), refunds: JSON.stringify(refunds) };
}

const PATCH_KEYS = [
  "email",
  "firstName",
  "lastName",
  "locale",
  "tags",
  "phone",
  "countryCode",
  "emailMarketingState",
  "emailMarketingOptInLevel",
  "emailMarketingUpdatedAt",
  "smsMarketingState",
  "smsMarketingOptInLevel",
  "smsMarketingUpdatedAt",
  "createdAt",
] as const;

function patchJson(patch: CustomerPatch): Record<string, unknown> {
  const out: Record<string, unknown> = { id: String(patch.id), updatedAt: iso(patch.updatedAt) };
  for (const key of PATCH_KEYS) {
    if (!(key in patch.fields)) continue;
    const value = patch.fields[key];
    out[key] = value instanceof Date ? value.toISOString() : (value ?? null);
  }
  return out;
}

/**
 * Customer patches folded against the stored state exactly as one-by-one application would: a patch applies when
 * it is not older than what is held (stored or an earlier patch of the batch), later fields override earlier ones,
 * and nothing applies to a tombstoned customer. Returns the customers held as deleted (their patches are dropped).
 */
async function applyCustomerOps(tx: DbTx, shop: string, customers: Map<bigint, CustomerOp[]>): Promise<Set<bigint>> {
  const deleted = new Set<bigint>();
  const patched = [...customers].filter(([, ops]) => ops.some((op) => op.kind === "patch"));
  if (patched.length === 0) return deleted;
  const ids = patched.map(([id]) => id).sort(byId);
  const stored = new Map(
    (await queryRows(tx, "pipeline/ingest/inbox/stored-customers.sql", shop, ids)).map((s) => [s.id, s]),
  );
  const folded: CustomerPatch[] = [];
  for (const [id, ops] of patched) {
    const held = stored.get(id);
    let at = held?.shopifyUpdatedAt ?? null;
    let gone = held?.deleted ?? false;
    const applied: CustomerPatch[] = [];
    for (const op of ops) {
      if (op.kind === "tombstone") gone = true;
      else if (!gone && (at === null || at <= op.patch.updatedAt)) {
        at = op.patch.updatedAt;
        applied.push(op.patch);
      }
    }
    if (held?.deleted) deleted.add(id);
    if (at !== null && applied.length > 0)
      folded.push({
        id,
        updatedAt: at,
        fields: applied.reduce<CustomerPatch["fields"]>((all, p) => ({ ...all, ...p.fields }), {}),
      });
  }
  if (folded.length > 0) {
    folded.sort((a, b) => byId(a.id, b.id));
    await execute(tx, "pipeline/ingest/inbox/upsert-customers.sql", shop, JSON.stringify(folded.map(patchJson)));
  }
  return deleted;
}

async function applyRefunds(tx: DbTx, shop: string, refunds: RestRefundPayload[]): Promise<bigint[]> {
  if (refunds.length === 0) return [];
  const orderIds = [...new Set(refunds.map((r) => r.order_id))].sort(byId);
  const orders = new Map(
    (await queryRows(tx, "pipeline/ingest/inbox/order-rates.sql", shop, orderIds)).map((o) => [o.id, o]),
  );
  const touched: bigint[] = [];
  const rows = refunds
    .map((payload) => {
      const order = orders.get(payload.order_id);
      if (order && !order.deleted && order.customerId !== null) touched.push(order.customerId);
      // Unknown order: kept in presentment money until the order's own webhook restates it in shop money.
      const rate = order?.presentmentTotalPrice
        ? {
            shop: parseMoney(order.totalPrice.toString()),
            presentment: parseMoney(order.presentmentTotalPrice.toString()),
          }
        : null;
      return refundFromRest(payload, rate);
    })
    .sort((a, b) => byId(a.id, b.id))
    .map((r) => ({
      id: String(r.id),
      orderId: String(r.orderId),
      createdAt: iso(r.createdAt),
      amount: formatMoney(r.amount),
    }));
  await execute(tx, "pipeline/ingest/inbox/upsert-refunds.sql", shop, JSON.stringify(rows));
  return touched;
}

export interface ApplyChangesResult extends AppliedChanges {
  /** Customers held as deleted whose patches were dropped (a tombstone stays deleted). */
  deletedCustomers: Set<bigint>;
}

/**
 * Applies a run of data changes (in arrival order) set-based, in the caller's transaction: customer patches, merges
 * (recorded, orders moved along the chain, merged-away customers tombstoned), customer deletes, order states, order
 * deletes, refunds — then the aggregates of every touched customer once, and their re-score queued.
 * Under the shop's shared lock, so a full recompute (exclusive) never interleaves.
 */
export async function applyChanges(tx: DbTx, shop: string, changes: DataChange[]): Promise<ApplyChangesResult> {
  const c = collapse(changes);
  await lockShopShared(tx, shop);
  const touched = new Set<bigint>();
  const add = (ids: Iterable<bigint>) => {
    for (const id of ids) touched.add(id);
  };

  const deletedCustomers = await applyCustomerOps(tx, shop, c.customers);

  if (c.merges.size > 0) {
    const merges = [...c.merges].sort(([a], [b]) => byId(a, b));
    const fromIds = merges.map(([from]) => from);
    await execute(
      tx,
      "pipeline/ingest/inbox/record-merges.sql",
      shop,
      fromIds,
      merges.map(([, into]) => into),
    );
    const chained = await queryRows(tx, "pipeline/ingest/inbox/reassign-merged-orders.sql", shop, fromIds);
    add(chained.map((r) => r.customerId));
    add(merges.map(([, into]) => into));
  }
  const tombstones = [...new Set([...c.merges.keys(), ...c.customerDeletes])].sort(byId);
  if (tombstones.length > 0) await execute(tx, "pipeline/ingest/inbox/tombstone-customers.sql", shop, tombstones);

  if (c.orders.size > 0) {
    const states = [...c.orders.values()].sort((a, b) => byId(a.order.id, b.order.id));
    const json = orderJson(states);
    const rows = await queryRows(
      tx,
      "pipeline/ingest/inbox/upsert-orders.sql",
      shop,
      json.orders,
      json.lines,
      json.refunds,
      states.map((st) => st.order.id),
    );
    add(rows.map((r) => r.customerId));
  }
  if (c.orderDeletes.size > 0) {
    const rows = await queryRows(tx, "pipeline/ingest/inbox/delete-orders.sql", shop, [...c.orderDeletes].sort(byId));
    add(rows.map((r) => r.customerId));
  }
  add(await applyRefunds(tx, shop, [...c.refunds.values()]));

  const rescored = [...touched].sort(byId);
  if (rescored.length > 0) {
    await recomputeAggregates(tx, shop, rescored, await aggregateContext(tx, shop));
    await queueRescore(tx, shop, rescored);
  }
  return { rescored, deletedCustomers };
}

/** One order state applied alone (tests and tools that stand in for a webhook). */
export function applyOrderState(
  tx: DbTx,
  shop: string,
  order: OrderRecord,
  presentmentTotal: bigint | null,
): Promise<ApplyChangesResult> {
  return applyChanges(tx, shop, [{ kind: "order", order, presentmentTotal }]);
}
