import type { Db } from "../../app/platform/db.server";
import { waitFor } from "./wait";

/** Waits until the app's own worker has applied every pending inbox event of the shop. */
export async function waitForInboxDrained(db: Db, shop: string, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    `${shop}'s inbox to be applied`,
    async () => (await db.webhookInbox.count({ where: { shop, appliedAt: null, deadAt: null } })) === 0,
    timeoutMs,
    50,
  );
}
