import type { DbTx } from "../db.server";

/**
 * Every shop-scoped table, children first. A new table is added here, and the
 * retention tests count zero rows in each afterwards.
 */
const shopScoped = [
  (tx: DbTx, shop: string) => tx.complianceRequest.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.webhookDelivery.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.session.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.shop.deleteMany({ where: { shop } }),
];

/** Tables holding rows about one customer. */
const customerScoped = [
  (tx: DbTx, shop: string, customerId: bigint) => tx.complianceRequest.deleteMany({ where: { shop, customerId } }),
];

/** shop/redact: erase everything we hold for the shop. */
export async function redactShop(tx: DbTx, shop: string): Promise<void> {
  for (const remove of shopScoped) await remove(tx, shop);
}

/** customers/redact: erase one customer's rows within one shop. */
export async function redactCustomer(tx: DbTx, shop: string, customerId: bigint): Promise<void> {
  for (const remove of customerScoped) await remove(tx, shop, customerId);
}

/** app/uninstalled: tokens go at once; data stays until Shopify's shop/redact (48 h later). */
export async function markUninstalled(tx: DbTx, shop: string): Promise<void> {
  await tx.session.deleteMany({ where: { shop } });
  await tx.shop.updateMany({ where: { shop }, data: { uninstalledAt: new Date() } });
}

/** app/scopes_update: keep the stored sessions' scope in step with what the merchant granted. */
export async function updateGrantedScopes(tx: DbTx, shop: string, scopes: string[]): Promise<void> {
  await tx.session.updateMany({ where: { shop }, data: { scope: scopes.join(",") } });
}
