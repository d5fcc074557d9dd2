import type { DbTx } from "../../platform/db.server";
import { execute } from "../../platform/db/sql.server";

/**
 * The advisory locks of the data path, all transaction-scoped on text keys
 * (shop:…, scoring:…). Within a shop, inbox batches run one after the other (the InboxShop row lock), so
 * per-order and per-customer locks are not needed.
 */

// Shop-level lock: inbox batches take it shared, the full recompute exclusively,
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
