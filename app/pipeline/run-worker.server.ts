import { db } from "../platform/db.server";
import { env } from "../platform/env.server";
import { logger } from "../platform/logger.server";
import { offlineAdmin } from "../shopify/admin-clients.server";
import { pgPool } from "../platform/db/pg-pool.server";
import { boss } from "./jobs.server";
import { startWorker } from "./worker.server";
import { startInboxApplier, type InboxApplier } from "./ingest/inbox/inbox-applier.server";

/**
 * Starts this process's pg-boss worker and the webhook inbox applier with the app's real dependencies. The
 * returned applier is stopped on shutdown (it finishes its current batches) before pg-boss stops.
 * WORKER_ROLE splits them: dedicated applier processes keep the live path's latency apart from bulk jobs
 * (backfills, full scoring runs, write-back), which then run in `jobs` processes.
 */
export async function runWorker(): Promise<InboxApplier> {
  const config = env();
  const jobs = await boss();
  if (config.WORKER_ROLE !== "inbox")
    await startWorker(
      jobs,
      {
        db: db(),
        pool: pgPool(),
        adminFor: (shop) => offlineAdmin(shop, logger),
        ...(config.SYNC_SPLIT_MIN_ORDERS ? { splitMinOrders: config.SYNC_SPLIT_MIN_ORDERS } : {}),
      },
      config.WORKER_CONCURRENCY,
    );
  if (config.WORKER_ROLE === "jobs") return { stop: async () => {} };
  return startInboxApplier(db(), jobs, {
    concurrency: config.INBOX_APPLIER_CONCURRENCY ?? config.WORKER_CONCURRENCY,
    batchSize: config.INBOX_APPLIER_BATCH_SIZE,
    ...(config.RFM_TEST_APPLIER_PAUSE_AT ? { pauseAt: config.RFM_TEST_APPLIER_PAUSE_AT } : {}),
  });
}
