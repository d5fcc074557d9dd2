import type { Db, DbTx } from "../../platform/db.server";
import { execute } from "../../platform/db/sql.server";

/**
 * Marks customers for the next re-score. Callers run it in the transaction
 * that changed their aggregates, so a committed change is always followed by
 * a re-score.
 */
export async function queueRescore(tx: Db | DbTx, shop: string, customerIds: bigint[]): Promise<void> {
  await execute(tx, "pipeline/score/queue-rescore.sql", shop, customerIds);
}
