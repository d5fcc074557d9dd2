import type { PgBoss } from "pg-boss";
import type { Db } from "../db.server";
import type { AdminClient } from "../admin/admin-client.server";
import { ShopNotInstalledError } from "../admin/offline-admin.server";
import { syncShopInfo } from "../models/shop.server";
import { logger } from "../logger.server";
import { JOB, type ShopJobData } from "./queue.server";

export interface WorkerDeps {
  db: Db;
  adminFor: (shop: string) => Promise<AdminClient>;
}

/** Registers every job handler on the given pg-boss instance. */
export async function startWorker(boss: PgBoss, deps: WorkerDeps, concurrency = 2): Promise<void> {
  await boss.work<ShopJobData>(
    JOB.syncShopInfo,
    { localConcurrency: concurrency, pollingIntervalSeconds: 1 },
    async ([job]) => {
      if (!job) return;
      const { shop } = job.data;
      const log = logger.child({ job: JOB.syncShopInfo, shop, jobId: job.id });
      try {
        const info = await syncShopInfo({ db: deps.db, admin: await deps.adminFor(shop) });
        log.info({ name: info.name }, "shop info synced");
      } catch (error) {
        // An uninstalled shop is not an error worth retrying.
        if (error instanceof ShopNotInstalledError) {
          log.warn("shop not installed, skipping");
          return;
        }
        throw error;
      }
    },
  );
  logger.info({ concurrency }, "worker started");
}
