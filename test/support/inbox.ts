import type { Db } from "../../app/platform/db.server";
import { applyNextBatch } from "../../app/pipeline/ingest/inbox/apply-batch.server";
import { batchDeps } from "../../app/pipeline/ingest/inbox/inbox-applier.server";
import { waitFor } from "./wait";

/** Applies every pending inbox event in this process (the worker's own batch step), until none is left. */
export async function drainInbox(db: Db): Promise<void> {
  const deps = batchDeps(db, null, {});
  while (await applyNextBatch(deps)) {
    // next batch
  }
}

/** Waits until the app's own worker has applied every pending inbox event of the shop. */
export async function waitForInboxDrained(db: Db, shop: string, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    `${shop}'s inbox to be applied`,
    async () => (await db.webhookInbox.count({ where: { shop, appliedAt: null, deadAt: null } })) === 0,
    timeoutMs,
    50,
  );
}
