import { refreshOrderJourneys } from "./ingest/order-journeys.server";
import type { PgBoss } from "pg-boss";
import type pg from "pg";
import type { Db } from "../platform/db.server";
import type { AdminClient } from "../shopify/admin-client.server";
import { ShopNotInstalledError } from "../shopify/admin-clients.server";
import { syncShopInfo } from "../shopify/shop.server";
import { advanceSync, shopsNeedingCustomerProfiles, startSync, type SyncKind } from "./ingest/bulk-sync.server";
import { logger } from "../platform/logger.server";
import {
  JOB,
  NIGHTLY_RECONCILE_CRON,
  RFM_DAILY_DISPATCH_CRON,
  INBOX_PRUNE_CRON,
  followUpsOn,
  sendShopJob,
  shopJobPending,
  type ShopJobData,
} from "./jobs.server";
import { latestFullRun, reconstructHistory, runFullScoring, runIncrementalScoring } from "./score/scoring.server";
import { shopsDueForDailyRun } from "./score/scoring-schedule.server";
import { runWriteBack } from "./write-back/write-back.server";
import { removeAppData } from "./write-back/remove-app-data.server";
import { recomputeShopAggregates } from "./aggregate/aggregates.server";
import { verifyPixelCustomers } from "../pixel/verify-customers.server";
import { sendFlowTriggers } from "./write-back/flow-triggers.server";
import { pruneInbox } from "./ingest/inbox/prune.server";
import { runPredictions } from "./predict/predictions.server";
import { runForecast } from "./forecast/forecast.server";
import { syncShopifyEngagement } from "./engagement/shopify-engagement.server";
import { runInsights } from "./insights/insights.server";
import { applyPredictions } from "./score/apply-predictions.server";

export interface WorkerDeps {
  db: Db;
  pool: pg.Pool;
  adminFor: (shop: string) => Promise<{ admin: AdminClient; scopes: string[] }>;
  /** See SyncDeps.splitMinOrders. */
  splitMinOrders?: number;
}

/** Runs a shop job; an uninstalled shop is skipped, not retried. */
async function forShop<T extends ShopJobData>(
  name: string,
  job: { id: string; data: T } | undefined,
  work: (data: T) => Promise<void>,
) {
  if (!job) return;
  const log = logger.child({ job: name, shop: job.data.shop, jobId: job.id });
  try {
    await work(job.data);
  } catch (error) {
    if (error instanceof ShopNotInstalledError) {
      log.warn("shop not installed, skipping");
      return;
    }
    log.error({ err: error }, "job failed");
    throw error;
  }
}

/** Registers every job handler on the given pg-boss instance; what each job enqueues next is FOLLOW_UPS' call. */
export async function startWorker(boss: PgBoss, deps: WorkerDeps, concurrency = 2): Promise<void> {
  const options = { localConcurrency: concurrency, pollingIntervalSeconds: 1 };
  // The live path (webhook → re-score → tags): pg-boss' shortest poll, each hop waits for one.
  const live = { localConcurrency: concurrency, pollingIntervalSeconds: 0.5 };
  const next = followUpsOn((name, shop, data, startAfterSeconds) =>
    sendShopJob(boss, name, shop, data, startAfterSeconds),
  );

  await boss.work<ShopJobData>(JOB.syncShopInfo, options, async ([job]) =>
    forShop(JOB.syncShopInfo, job, async ({ shop }) => {
      const { admin } = await deps.adminFor(shop);
      await syncShopInfo({ db: deps.db, admin });
    }),
  );

  await boss.work<ShopJobData & { kind: SyncKind }>(JOB.ordersSync, options, async ([job]) =>
    forShop(JOB.ordersSync, job, async ({ shop, kind }) => {
      const { admin, scopes } = await deps.adminFor(shop);
      const split = deps.splitMinOrders ? { splitMinOrders: deps.splitMinOrders } : {};
      const run = await startSync({ db: deps.db, pool: deps.pool, admin, scopes, logger, ...split }, kind);
      if (run.status === "running") await next.afterSyncStarted(shop, run.id);
    }),
  );

  await boss.work<ShopJobData & { runId: string }>(JOB.ordersSyncAdvance, options, async ([job]) =>
    forShop(JOB.ordersSyncAdvance, job, async ({ shop, runId }) => {
      const { admin, scopes } = await deps.adminFor(shop);
      const outcome = await advanceSync({ db: deps.db, pool: deps.pool, admin, scopes, logger }, runId);
      if (outcome === "waiting") await next.afterSyncWaiting(shop, runId);
      if (outcome === "completed")
        await next.afterSyncCompleted(shop, { scoredBefore: (await latestFullRun(deps.db, shop)) !== null });
    }),
  );

  await boss.work<ShopJobData>(JOB.pixelEnsure, options, async ([job]) =>
    forShop(JOB.pixelEnsure, job, async ({ shop }) => {
      const { admin } = await deps.adminFor(shop);
      const { ensureWebPixel } = await import("../pixel/web-pixel.server");
      const { env } = await import("../platform/env.server");
      await ensureWebPixel({ db: deps.db, admin, logger, appUrl: env().SHOPIFY_APP_URL }, shop);
    }),
  );

  await boss.work<ShopJobData>(JOB.orderJourneys, options, async ([job]) =>
    forShop(JOB.orderJourneys, job, async ({ shop }) => {
      const { admin } = await deps.adminFor(shop);
      const outcome = await refreshOrderJourneys({ db: deps.db, admin, logger }, shop);
      await next.afterJourneysRefreshed(shop, outcome);
    }),
  );

  await boss.work<ShopJobData>(JOB.pixelVerify, options, async ([job]) =>
    forShop(JOB.pixelVerify, job, async ({ shop }) => {
      const { admin } = await deps.adminFor(shop);
      await verifyPixelCustomers({ db: deps.db, admin, logger }, shop);
    }),
  );

  await boss.work(JOB.reconcileAll, { pollingIntervalSeconds: 5 }, async () => {
    const shops = await deps.db.shop.findMany({
      where: { uninstalledAt: null, ordersSyncedAt: { not: null } },
      select: { shop: true },
    });
    for (const { shop } of shops) await next.requestSync(shop, "reconcile");
    logger.info({ shops: shops.length }, "nightly reconciliation enqueued");
  });
  await boss.schedule(JOB.reconcileAll, NIGHTLY_RECONCILE_CRON, {}, { tz: "UTC" });
  // Once per shop installed before customer profiles were exported: a customers-only export.
  for (const shop of await shopsNeedingCustomerProfiles(deps.db)) await next.requestSync(shop, "customers");

  await boss.work<ShopJobData>(JOB.rfmScore, options, async ([job]) =>
    forShop(JOB.rfmScore, job, async ({ shop }) => {
      // The run is one transaction: the dashboard learns it started (or failed) from the shop row.
      await deps.db.shop.updateMany({ where: { shop }, data: { scoringStartedAt: new Date(), scoringError: null } });
      const stale = await deps.db.shopSettings.findUnique({ where: { shop }, select: { aggregatesStale: true } });
      if (stale?.aggregatesStale) {
        await recomputeShopAggregates(deps.db, shop);
        await deps.db.shopSettings.update({ where: { shop }, data: { aggregatesStale: false } });
      }
      const outcome = await reconstructHistory(deps.db, shop)
        .then(() => runFullScoring(deps.db, shop))
        .catch(async (error: unknown) => {
          await deps.db.shop.updateMany({
            where: { shop },
            data: { scoringError: error instanceof Error ? error.message : String(error) },
          });
          throw error;
        });
      logger.info({ shop, ...outcome, runId: String(outcome.runId) }, "full RFM run");
      await next.afterScoring(shop, outcome);
    }),
  );

  await boss.work<ShopJobData>(JOB.rfmPredict, options, async ([job]) =>
    forShop(JOB.rfmPredict, job, async ({ shop }) => {
      const predicted = await runPredictions({ db: deps.db, pool: deps.pool }, shop);
      // Bands and prediction behaviours follow the new predictions (or go, when the run had too little data).
      if (predicted) await next.afterPredictions(shop, await applyPredictions(deps.db, shop));
    }),
  );

  await boss.work<ShopJobData>(JOB.rfmInsights, options, async ([job]) =>
    forShop(JOB.rfmInsights, job, async ({ shop }) => {
      const outcome = await runInsights(deps.db, shop);
      if (outcome)
        logger.info(
          { shop, ...outcome, insightRunId: String(outcome.insightRunId), scoringRunId: String(outcome.scoringRunId) },
          "insights computed",
        );
    }),
  );

  await boss.work<ShopJobData>(JOB.rfmRescore, live, async ([job]) =>
    forShop(JOB.rfmRescore, job, async ({ shop }) => {
      const outcome = await runIncrementalScoring(deps.db, shop);
      if (outcome)
        logger.debug(
          { shop, customers: outcome.customers, changed: outcome.changedSegment },
          "re-scored changed customers",
        );
      if (outcome) await next.afterIncrementalScoring(shop, outcome);
    }),
  );

  await boss.work<ShopJobData>(JOB.rfmWriteBack, live, async ([job]) =>
    forShop(JOB.rfmWriteBack, job, async ({ shop }) => {
      const { admin } = await deps.adminFor(shop);
      await runWriteBack({ db: deps.db, admin, logger }, shop);
    }),
  );

  await boss.work<ShopJobData & { removalId: string }>(JOB.rfmRemoveAppData, options, async ([job]) =>
    forShop(JOB.rfmRemoveAppData, job, async ({ shop, removalId }) => {
      const { admin } = await deps.adminFor(shop);
      await removeAppData({ db: deps.db, admin, logger }, shop, BigInt(removalId));
    }),
  );

  await boss.work<ShopJobData>(JOB.rfmForecast, options, async ([job]) =>
    forShop(JOB.rfmForecast, job, async ({ shop }) => {
      await runForecast(deps.db, shop);
    }),
  );

  await boss.work<ShopJobData>(JOB.rfmFlow, live, async ([job]) =>
    forShop(JOB.rfmFlow, job, async ({ shop }) => {
      const { admin } = await deps.adminFor(shop);
      const outcome = await sendFlowTriggers({ db: deps.db, admin, logger }, shop);
      await next.afterFlowTriggers(shop, outcome);
    }),
  );

  await boss.work<ShopJobData>(JOB.engagementSync, options, async ([job]) =>
    forShop(JOB.engagementSync, job, async ({ shop }) => {
      const { admin } = await deps.adminFor(shop);
      // The signals are one source among several: a failed sync (recorded on EngagementSync.error) must not
      // hold up the daily run, which then reads the last complete sync's signals.
      await syncShopifyEngagement({ db: deps.db, admin, logger }, shop).catch((error: unknown) => {
        if (error instanceof ShopNotInstalledError) throw error;
        logger.error({ err: error, shop }, "Shopify engagement sync failed; scoring with the last signals");
      });
      await next.afterEngagementSync(shop);
    }),
  );

  // Each shop's daily run happens at its own local hour: an hourly sweep asks who is due.
  await boss.work(JOB.rfmDaily, { pollingIntervalSeconds: 5 }, async () => {
    const due = await shopsDueForDailyRun(deps.db, new Date(), (shop) => shopJobPending(boss, JOB.rfmScore, shop));
    for (const shop of due) await next.afterDailyRunDue(shop);
    if (due.length > 0) logger.info({ shops: due.length }, "daily RFM runs enqueued");
  });
  await boss.schedule(JOB.rfmDaily, RFM_DAILY_DISPATCH_CRON, {}, { tz: "UTC" });

  // Applied inbox rows hold payloads (personal data): they go once Shopify's retry window has passed.
  await boss.work(JOB.inboxPrune, { pollingIntervalSeconds: 5 }, async () => {
    const { env } = await import("../platform/env.server");
    await pruneInbox({ db: deps.db, logger }, env().WEBHOOK_INBOX_RETENTION_HOURS);
  });
  await boss.schedule(JOB.inboxPrune, INBOX_PRUNE_CRON, {}, { tz: "UTC" });
  logger.info({ concurrency }, "worker started");
}
