import type { Db } from "../../app/platform/db.server";

/**
 * Adds plain paid orders (EUR, no refund, no code) straight to a shop's stored orders, as the ingest would have
 * written them, with ids counting up from firstId: for tests that move a customer by one order and re-score.
 */
export function storedOrderAdder(db: Db, shop: string, firstId = 1n) {
  let nextId = firstId;
  return async (customerId: bigint, at: Date, euros: number): Promise<void> => {
    const id = nextId++;
    await db.order.create({
      data: {
        shop,
        id,
        customerId,
        createdAt: at,
        processedAt: at,
        shopifyUpdatedAt: at,
        currency: "EUR",
        totalPrice: euros.toFixed(2),
        currentTotalPrice: euros.toFixed(2),
        totalRefunded: "0",
        discountCodes: [],
      },
    });
  };
}
