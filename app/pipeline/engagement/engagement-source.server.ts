import type { Db, DbTx } from "../../platform/db.server";

/**
 * Whether the shop has any engagement data lost_engaged (and the engagement personas) can read: web pixel visits
 * or clicks, or Shopify's own signals. Resolves to a row (truthy) or null.
 */
export async function anyEngagement(db: Db | DbTx, shop: string): Promise<{ customerId: bigint } | null> {
  const pixel = await db.customerEngagement.findFirst({ where: { shop }, select: { customerId: true } });
  return pixel ?? db.customerEngagementSignal.findFirst({ where: { shop }, select: { customerId: true } });
}
