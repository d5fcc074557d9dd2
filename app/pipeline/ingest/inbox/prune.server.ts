import type { Db } from "../../../platform/db.server";
import { queryRows } from "../../../platform/db/sql.server";
import type { Logger } from "../../../platform/logger.server";

/** Rows one prune statement may touch: each statement is short, so it never holds locks for long. */
export const PRUNE_STEP_ROWS = 10_000;

export interface PruneOutcome {
  shops: number;
  events: number;
  batches: number;
}

/**
 * Deletes applied inbox rows and InboxBatch rows older than the retention, shop by shop in primary-key order, in
 * bounded steps (each its own statement and transaction). Pending rows and dead letters stay: dead letters until they
 * are replayed or the shop is redacted.
 */
export async function pruneInbox(
  deps: { db: Db; logger: Logger },
  retentionHours: number,
  now: Date = new Date(),
  stepRows: number = PRUNE_STEP_ROWS,
): Promise<PruneOutcome> {
  const before = new Date(now.getTime() - retentionHours * 3_600_000);
  const shops = await queryRows(deps.db, "pipeline/ingest/inbox/inbox-shops.sql");
  const outcome: PruneOutcome = { shops: shops.length, events: 0, batches: 0 };
  for (const { shop } of shops) {
    // Arrival order = seq order, so the first page holding only newer rows ends the shop's walk.
    let after = 0n;
    for (;;) {
      const [step] = await queryRows(deps.db, "pipeline/ingest/inbox/prune-applied.sql", shop, after, stepRows, before);
      if (!step) break;
      outcome.events += step.deleted;
      if (step.lastSeq === null || !step.anyOld) break;
      after = step.lastSeq;
    }
    for (;;) {
      const [step] = await queryRows(deps.db, "pipeline/ingest/inbox/prune-batches.sql", shop, stepRows, before);
      outcome.batches += step?.deleted ?? 0;
      if (!step || step.deleted < stepRows) break;
    }
  }
  if (outcome.events > 0 || outcome.batches > 0)
    deps.logger.info({ ...outcome, retentionHours }, "webhook inbox pruned");
  return outcome;
}
