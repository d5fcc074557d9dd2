import { PgBoss } from "pg-boss";
import { env } from "../platform/env.server";
import { logger } from "../platform/logger.server";

/** Job names; each job's data is keyed by shop so work is partitioned by shop. */
export const JOB = {
  syncShopInfo: "shop.sync-info",
  /** Start a backfill or reconciliation bulk export: { shop, kind }. */
  ordersSync: "orders.sync",
  /** Poll / ingest / aggregate one sync run: { shop, runId }. */
  ordersSyncAdvance: "orders.sync-advance",
  /** Nightly: a reconciliation for every installed shop. */
  reconcileAll: "orders.reconcile-all",
  /** Full RFM run (ranks, cut-offs, segments, history): { shop }. */
  rfmScore: "rfm.score",
  /** Re-score the customers whose orders changed, against the last cut-offs: { shop }. */
  rfmRescore: "rfm.rescore",
  /** Bring the app's customer tags in Shopify in line with the scores: { shop }. */
  rfmWriteBack: "rfm.write-back",
  /** Send pending "Customer RFM segment changed" Flow triggers: { shop }. */
  rfmFlow: "rfm.flow-triggers",
  /** Create or update the app's web pixel in Shopify with the shop's pixel key: { shop }. */
  pixelEnsure: "pixel.ensure",
  /** Ask Shopify which customers of pending pixel visits exist in the shop: { shop }. */
  pixelVerify: "pixel.verify-customers",
  /** Hourly: a full run for every shop whose local time passed its daily run hour and that has none today. */
  rfmDaily: "rfm.daily-dispatch",
} as const;

export type JobName = (typeof JOB)[keyof typeof JOB];

export interface ShopJobData {
  shop: string;
}

declare global {
  var __rfmBoss: Promise<PgBoss> | undefined;
}

export async function createBoss(connectionString: string, poolMax = 4): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString, schema: "pgboss", max: poolMax });
  boss.on("error", (error) => logger.error({ err: error }, "pg-boss error"));
  await boss.start();
  for (const name of Object.values(JOB)) {
    // "stately" + singletonKey=shop: at most one queued and one running job per shop.
    // Retries with backoff: a shop whose Admin API hiccups gets another go.
    await boss.createQueue(name, {
      policy: "stately",
      retryLimit: 5,
      retryDelay: 10,
      retryBackoff: true,
      expireInSeconds: 3600,
    });
  }
  return boss;
}

/** The process's one pg-boss instance (survives Vite dev reloads). */
export function boss(): Promise<PgBoss> {
  globalThis.__rfmBoss ??= createBoss(env().DATABASE_URL).catch((error: unknown) => {
    globalThis.__rfmBoss = undefined;
    throw error;
  });
  return globalThis.__rfmBoss;
}

export async function stopBoss(): Promise<void> {
  const pending = globalThis.__rfmBoss;
  globalThis.__rfmBoss = undefined;
  if (pending) await (await pending).stop({ graceful: true, timeout: 10_000 });
}

/** One pending job per shop and kind: re-enqueueing while one waits is a no-op. */
export function sendShopJob(
  on: PgBoss,
  name: JobName,
  shop: string,
  data: Record<string, unknown> = {},
  startAfterSeconds?: number,
): Promise<string | null> {
  return on.send(name, { ...data, shop } satisfies ShopJobData, {
    singletonKey: shop,
    ...(startAfterSeconds ? { startAfter: startAfterSeconds } : {}),
  });
}

/** sendShopJob on this process's pg-boss. */
export async function enqueueShopJob(
  name: JobName,
  shop: string,
  data: Record<string, unknown> = {},
): Promise<string | null> {
  return sendShopJob(await boss(), name, shop, data);
}

export const NIGHTLY_RECONCILE_CRON = "30 3 * * *";
export const RFM_DAILY_DISPATCH_CRON = "7 * * * *";
