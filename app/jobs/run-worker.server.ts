import { db } from "../db.server";
import { env } from "../env.server";
import { logger } from "../logger.server";
import { offlineAdmin } from "../admin/offline-admin.server";
import { pgPool } from "../db/pg-pool.server";
import { boss } from "./queue.server";
import { startWorker } from "./worker.server";

/** Starts this process's pg-boss worker with the app's real dependencies. */
export async function runWorker(): Promise<void> {
  await startWorker(
    await boss(),
    { db: db(), pool: pgPool(), adminFor: (shop) => offlineAdmin(shop, logger) },
    env().WORKER_CONCURRENCY,
  );
}
