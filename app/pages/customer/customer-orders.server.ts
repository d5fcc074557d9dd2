import type { Db } from "../../platform/db.server";

/** How many orders the customer page lists; the rest are one click away in Shopify. */
export const CUSTOMER_ORDERS_SHOWN = 50;

/**
 * The customer's most recent orders as the app stored them (newest first, deleted and test orders left out;
 * cancelled ones flagged), and how many there are in all.
 */
export async function customerOrders(db: Db, shop: string, customerId: bigint, limit = CUSTOMER_ORDERS_SHOWN) {
  const where = { shop, customerId, deletedAt: null, test: false };
  const [orders, total] = await Promise.all([
    db.order.findMany({
      where,
      orderBy: [{ processedAt: "desc" }, { id: "desc" }],
      take: limit,
      select: {
        id: true,
        name: true,
        processedAt: true,
        totalPrice: true,
        totalRefunded: true,
        discountCodes: true,
        cancelledAt: true,
      },
    }),
    db.order.count({ where }),
  ]);
  return {
    total,
    orders: orders.map((o) => ({
      id: String(o.id),
      name: o.name,
      processedAt: o.processedAt.toISOString(),
      total: o.totalPrice.toString(),
      refunded: o.totalRefunded.toString(),
      discountCodes: o.discountCodes,
      cancelled: o.cancelledAt !== null,
    })),
  };
}
