import type { DbTx } from "../../platform/db.server";
import { execute } from "../../platform/db/sql.server";

/**
 * The advisory locks of the data path, all transaction-scoped on text keys
 * (shop:…, scoring:…, customer:…, order:…).
 */

// Shop-level lock: webhooks take it shared, the full recompute exclusively,
// so a full recompute never overwrites a fresher per-customer result.
export async function lockShopShared(tx: DbTx, shop: string): Promise<void> {
  await execute(tx, "pipeline/aggregate/advisory-lock-shared.sql", `shop:${shop}`);
}

export async function lockShopExclusive(tx: DbTx, shop: string): Promise<void> {
  await execute(tx, "pipeline/aggregate/advisory-lock.sql", `shop:${shop}`);
}

/**
 * Serialises scoring runs of a shop with each other and with redaction, so a
 * run that read a customer before a redact can never write them back after it.
 */
export async function lockShopScoring(tx: DbTx, shop: string): Promise<void> {
  await execute(tx, "pipeline/aggregate/advisory-lock.sql", `scoring:${shop}`);
}

/** Serialises work on one customer's orders (concurrent webhooks for the same customer). */
export async function lockCustomers(tx: DbTx, shop: string, customerIds: bigint[]): Promise<void> {
  const sorted = [...new Set(customerIds.map(String))].sort();
  for (const id of sorted) await execute(tx, "pipeline/aggregate/advisory-lock.sql", `customer:${shop}:${id}`);
}

/** Serialises the webhooks of one order (an update racing its create). */
export async function lockOrder(tx: DbTx, shop: string, orderId: bigint): Promise<void> {
  await execute(tx, "pipeline/aggregate/advisory-lock.sql", `order:${shop}:${orderId}`);
}
