import type { Db } from "../../platform/db.server";
import { execute, queryRows } from "../../platform/db/sql.server";
import { lockShopScoring } from "../aggregate/locks.server";

/**
 * WriteBackPending: the customers a changed-scope write-back compares. Whatever
 * changes or removes a score marks the customer in the same transaction; a
 * write-back claims the marks made before it started and deletes them once it
 * has compared (and written) those customers. A mark made during a run gets a
 * newer seq and stays for the next one.
 */

/** Marks the customers `ids` selects (one bigint column; $1 is the shop) for the next write-back. */
export const markWriteBackPendingSql = (ids: string) =>
  `INSERT INTO "WriteBackPending" (shop, "customerId") SELECT $1, p.id FROM (${ids}) p(id)
   ON CONFLICT (shop, "customerId") DO UPDATE SET seq = EXCLUDED.seq`;

/** For scores written without marks (a shop's first): the next write-back compares everyone. $1 is the shop. */
export const WANT_FULL_WRITE_BACK_SQL = `UPDATE "Shop" SET "writeBackFullWantedAt" = clock_timestamp() WHERE shop = $1`;

export interface PendingClaim {
  /** The database's clock when the claim was taken: every score committed before it is visible to the run. */
  startedAt: Date;
  /** Marks up to this seq belong to the run. */
  seq: bigint;
  /** How many customers are marked. */
  count: number;
}

/**
 * Taken under the scoring lock, so no scoring transaction that marked customers is still uncommitted:
 * every mark up to `seq` is visible, and every later one gets a higher seq.
 */
export async function claimPending(db: Db, shop: string): Promise<PendingClaim> {
  return db.$transaction(async (tx) => {
    await lockShopScoring(tx, shop);
    const [row] = await queryRows(tx, "pipeline/write-back/claim-pending.sql", shop);
    if (!row) throw new Error("claim-pending.sql returned no row");
    return { startedAt: row.now, seq: row.seq, count: row.count };
  });
}

/** After a run compared every claimed customer: their marks go (newer ones stay). */
export async function releasePending(db: Db, shop: string, claim: PendingClaim): Promise<void> {
  await execute(db, "pipeline/write-back/release-pending.sql", shop, claim.seq);
}
