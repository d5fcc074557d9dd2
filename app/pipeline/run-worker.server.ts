import { db } from "../platform/db.server";
import { env } from "../platform/env.server";
import { logger } from "../platform/logger.server";
import { offlineAdmin } from "../shopify/admin-clients.server";
import { pgPool } from "../platform/db/pg-pool.server";
import { boss } from "./jobs.server";
import { startWorker } from "./worker.server";

/** Starts this process's pg-boss worker with the app's real dependencies. */
export async function runWorker(): Promise<void> {
  await startWorker(
    await boss(),
    { db: db(), pool: pgPool(), adminFor: (shop) => offlineAdmin(shop, logger) },
    env().WORKER_CONCURRENCY,
  );
}
