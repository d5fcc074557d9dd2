import type { DbTx } from "../../platform/db.server";
import { refundFromRest, type OrderRecord, type RefundRecord, type RestRefundPayload } from "../../domain/orders";
import { formatMoney, parseMoney } from "../../domain/money";
import { aggregateContext, recomputeAggregates } from "../aggregate/aggregates.server";
import { lockCustomers, lockOrder, lockShopShared } from "../aggregate/locks.server";
import { queueRescore } from "../score/rescore-queue.server";

export type ApplyOutcome = "applied" | "stale" | "deleted";

/** A customer merged away answers for the customer it was merged into (following chains). */
export async function resolveCustomer(tx: DbTx, shop: string, customerId: bigint | null): Promise<bigint | null> {
  let current = customerId;
  for (let hops = 0; current !== null && hops < 10; hops++) {
    const merge = await tx.customerMerge.findUnique({
      where: { shop_fromId: { shop, fromId: current } },
      select: { intoId: true },
    });
    if (!merge) break;
    current = merge.intoId;
  }
  return current;
}

async function lockAndReadOrder(tx: DbTx, shop: string, orderId: bigint) {
  await lockOrder(tx, shop, orderId);
  return tx.order.findUnique({
    where: { shop_id: { shop, id: orderId } },
    select: { customerId: true, shopifyUpdatedAt: true, deletedAt: true },
  });
}

function present(ids: (bigint | null | undefined)[]): bigint[] {
  return [...new Set(ids.filter((c): c is bigint => c !== null && c !== undefined))];
}

// Lock order: shop (shared) → order → customers → rows. customers/merge takes
// shop → customers → rows, so the two can never wait on each other in a cycle.
async function refreshCustomers(tx: DbTx, shop: string, ids: bigint[]): Promise<void> {
  if (ids.length === 0) return;
  await recomputeAggregates(tx, shop, ids, await aggregateContext(tx, shop));
  await queueRescore(tx, shop, ids);
}

async function upsertRefunds(tx: DbTx, shop: string, refunds: RefundRecord[]): Promise<void> {
  for (const r of refunds) {
    const data = { orderId: r.orderId, createdAt: r.createdAt, amount: formatMoney(r.amount) };
    await tx.refund.upsert({
      where: { shop_id: { shop, id: r.id } },
      create: { shop, id: r.id, ...data },
      update: data,
    });
  }
}

/**
 * Applies an order state from a webhook: an older state never overwrites a
 * newer one, a deleted order stays deleted, and the aggregates of the
 * customers it touches are recomputed in the same transaction.
 */
export async function applyOrder(
  tx: DbTx,
  shop: string,
  record: OrderRecord,
  presentmentTotal: bigint | null,
): Promise<ApplyOutcome> {
  await lockShopShared(tx, shop);
  const existing = await lockAndReadOrder(tx, shop, record.id);
  if (existing?.deletedAt) return "deleted";
  if (existing && existing.shopifyUpdatedAt > record.updatedAt) return "stale";
  const customerId = await resolveCustomer(tx, shop, record.customerId);
  const touched = present([existing?.customerId, customerId]);
  await lockCustomers(tx, shop, touched);
  const data = {
    customerId,
    name: record.name,
    createdAt: record.createdAt,
    processedAt: record.processedAt,
    shopifyUpdatedAt: record.updatedAt,
    cancelledAt: record.cancelledAt,
    test: record.test,
    currency: record.currency,
    totalPrice: formatMoney(record.totalPrice),
    currentTotalPrice: formatMoney(record.currentTotalPrice),
    totalRefunded: formatMoney(record.totalRefunded),
    presentmentTotalPrice: presentmentTotal === null ? null : formatMoney(presentmentTotal),
    discountCodes: record.discountCodes,
  };
  await tx.order.upsert({
    where: { shop_id: { shop, id: record.id } },
    create: { shop, id: record.id, ...data },
    update: data,
  });
  await tx.orderLine.deleteMany({ where: { shop, orderId: record.id } });
  if (record.lines.length > 0) {
    await tx.orderLine.createMany({
      data: record.lines.map((l) => ({
        shop,
        orderId: record.id,
        id: l.id,
        productId: l.productId,
        vendor: l.vendor,
        quantity: l.quantity,
        amount: formatMoney(l.amount),
      })),
      skipDuplicates: true,
    });
  }
  await upsertRefunds(tx, shop, record.refunds);
  await refreshCustomers(tx, shop, touched);
  return "applied";
}

/** orders/delete: a tombstone, whether or not the order arrived yet. */
export async function deleteOrder(tx: DbTx, shop: string, orderId: bigint): Promise<void> {
  await lockShopShared(tx, shop);
  const existing = await lockAndReadOrder(tx, shop, orderId);
  const touched = present([existing?.customerId]);
  await lockCustomers(tx, shop, touched);
  const now = new Date();
  if (existing) {
    await tx.order.update({ where: { shop_id: { shop, id: orderId } }, data: { deletedAt: now } });
  } else {
    await tx.order.create({
      data: {
        shop,
        id: orderId,
        createdAt: now,
        processedAt: now,
        shopifyUpdatedAt: now,
        deletedAt: now,
        currency: "",
        totalPrice: "0",
        currentTotalPrice: "0",
        totalRefunded: "0",
        discountCodes: [],
      },
    });
  }
  await refreshCustomers(tx, shop, touched);
}

/** refunds/create: the refund row, converted at the order's own rate when we know the order. */
export async function applyRefund(tx: DbTx, shop: string, payload: RestRefundPayload): Promise<void> {
  await lockShopShared(tx, shop);
  const order = await tx.order.findUnique({
    where: { shop_id: { shop, id: payload.order_id } },
    select: { customerId: true, totalPrice: true, presentmentTotalPrice: true, deletedAt: true },
  });
  const touched = order && !order.deletedAt ? present([order.customerId]) : [];
  await lockCustomers(tx, shop, touched);
  // Unknown order: kept in presentment money until the order's own webhook restates it in shop money.
  const rate = order?.presentmentTotalPrice
    ? { shop: parseMoney(order.totalPrice.toString()), presentment: parseMoney(order.presentmentTotalPrice.toString()) }
    : null;
  await upsertRefunds(tx, shop, [refundFromRest(payload, rate)]);
  await refreshCustomers(tx, shop, touched);
}
