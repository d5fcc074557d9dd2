import type { Db } from "../../app/platform/db.server";
import type { DemoStack } from "../demo/stack";
import { orderPayload } from "../emulator/shapes";

/**
 * A lapsed customer (R 1, in a lapsed segment) of a shop and a new €2 500
 * order for them, already in the emulated shop (as created in Shopify); the
 * caller delivers `payload` as orders/create.
 */
export async function lapsedCustomerOrder(stack: DemoStack, db: Db, shopDomain: string, name: string) {
  const lapsed = await db.customerScore.findFirst({
    where: { shop: shopDomain, r: 1, segment: { in: ["lost", "hibernating", "at_risk", "cant_lose"] } },
    orderBy: { customerId: "asc" },
  });
  if (!lapsed) throw new Error("the generated shop has no lapsed customer");
  const shop = stack.emulator.shop(shopDomain);
  const template = [...shop.orders()].find((o) => o.customerId === Number(lapsed.customerId));
  const customer = shop.customer(Number(lapsed.customerId));
  if (!template || !customer) throw new Error("customer not in the emulated shop");
  const now = new Date();
  const order = {
    ...template,
    id: 9_900_000_000 + Number(lapsed.customerId % 1_000_000n),
    name,
    createdAt: now,
    processedAt: now,
    updatedAt: now,
    cancelledAt: null,
    test: false,
    totalCents: 250_000,
    currentTotalCents: 250_000,
    totalRefundedCents: 0,
    refunds: [],
  };
  shop.putOrder(order);
  return { lapsed, shop, payload: orderPayload(order, customer) };
}
