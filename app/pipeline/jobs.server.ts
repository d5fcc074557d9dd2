import { PgBoss } from "pg-boss";
import { env } from "../platform/env.server";
import { logger } from "../platform/logger.server";
import type { SyncKind } from "./ingest/bulk-sync.server";

/** Job names; each job's data is keyed by shop so work is partitioned by shop. */
export const JOB = {
  syncShopInfo: "shop.sync-info",
  /** Start a backfill or reconciliation bulk export: { shop, kind }. */
  ordersSync: "orders.sync",
  /** Poll / ingest / aggregate one sync run: { shop, runId }. */
  ordersSyncAdvance: "orders.sync-advance",
  /** Ask Shopify again for the journeys of recent orders that have none stored or a ready: false one: { shop }. */
  orderJourneys: "orders.journeys",
  /** Nightly: a reconciliation for every installed shop. */
  reconcileAll: "orders.reconcile-all",
  /** Full RFM run (ranks, cut-offs, segments, history): { shop }. */
  rfmScore: "rfm.score",
  /** Re-score the customers whose orders changed, against the last cut-offs: { shop }. */
  rfmRescore: "rfm.rescore",
  /** Fit the shop's purchase model and store every customer's prediction (after a full run): { shop }. */
  rfmPredict: "rfm.predict",
  /** Where the best customers come from, for the latest full run (first products, coupons, cohorts): { shop }. */
  rfmInsights: "rfm.insights",
  /** Bring the app's customer tags in Shopify in line with the scores: { shop }. */
  rfmWriteBack: "rfm.write-back",
  /** Segment forecast (Markov chain) and the back-tests, after a full run: { shop }. */
  rfmForecast: "rfm.forecast",
  /** Remove every app tag, RFM metafield and app Shopify segment (write-back switched off): { shop, removalId }. */
  rfmRemoveAppData: "rfm.remove-app-data",
  /** Send pending "Customer RFM segment changed" Flow triggers: { shop }. */
  rfmFlow: "rfm.flow-triggers",
  /** Create or update the app's web pixel in Shopify with the shop's pixel key: { shop }. */
  pixelEnsure: "pixel.ensure",
  /** Ask Shopify which customers of pending pixel visits exist in the shop: { shop }. */
  pixelVerify: "pixel.verify-customers",
  /** Windowed engagement signals from Shopify's segment filters (customerSegmentMembers), before the daily run: { shop }. */
  engagementSync: "engagement.shopify-sync",
  /** Hourly: a full run for every shop whose local time passed its daily run hour and that has none today. */
  rfmDaily: "rfm.daily-dispatch",
  /** Every 10 minutes: delete applied webhook inbox rows past the retention (WEBHOOK_INBOX_RETENTION_HOURS). */
  inboxPrune: "inbox.prune",
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

/** Stops taking jobs and waits (up to timeoutMs) for the running ones to finish. */
export async function stopBoss(timeoutMs = 10_000): Promise<void> {
  const pending = globalThis.__rfmBoss;
  globalThis.__rfmBoss = undefined;
  if (pending) await (await pending).stop({ graceful: true, timeout: timeoutMs });
}

/** Jobs that failed after every retry, per queue, as pg-boss still keeps them (/metrics' dead letters). */
export async function deadLetterCounts(): Promise<{ queue: string; failed: number }[]> {
  const queues = await (await boss()).getQueues(Object.values(JOB));
  return queues.map((queue) => ({ queue: queue.name, failed: queue.failedCount }));
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

/** States of a job that has not ended yet: waiting, waiting to retry, or running. */
const UNFINISHED_STATES: ReadonlySet<string> = new Set(["created", "retry", "active"]);

/** Whether a shop has a job of this kind waiting or running (the singleton key is the shop). */
export async function shopJobPending(on: PgBoss, name: JobName, shop: string): Promise<boolean> {
  const jobs = await on.findJobs(name, { key: shop });
  return jobs.some((j) => UNFINISHED_STATES.has(j.state));
}

/** One job a pipeline event enqueues, with its data and how long it waits. */
export interface FollowUp {
  job: JobName;
  data?: Record<string, unknown>;
  startAfterSeconds?: number;
}

/** Shopify attributes most orders within minutes; what is not ready then is asked for hourly. */
const JOURNEY_AFTER_WEBHOOK_SECONDS = 900;
const JOURNEY_RETRY_SECONDS = 3600;

const job = (name: JobName, data?: Record<string, unknown>, startAfterSeconds?: number): FollowUp => ({
  job: name,
  ...(data ? { data } : {}),
  ...(startAfterSeconds ? { startAfterSeconds } : {}),
});

/**
 * What follows what: every pipeline event and the jobs it enqueues, in
 * order. The worker only runs jobs; the decisions about the next ones are
 * all here.
 */
export const FOLLOW_UPS = {
  /** Installed or re-authorised: shop facts and the web pixel; the order history only the first time. */
  installed: ({ backfillStarted }: { backfillStarted: boolean }) => [
    job(JOB.syncShopInfo),
    job(JOB.pixelEnsure),
    ...(backfillStarted ? [] : [job(JOB.ordersSync, { kind: "backfill" })]),
  ],
  /** A bulk export started: first look after two seconds. */
  syncStarted: ({ runId }: { runId: string }) => [job(JOB.ordersSyncAdvance, { runId }, 2)],
  /** Still running: poll again in five seconds (bulk_operations/finish usually wakes the run first). */
  syncWaiting: ({ runId }: { runId: string }) => [job(JOB.ordersSyncAdvance, { runId }, 5)],
  /** bulk_operations/finish: advance the run that waits for it now. */
  bulkOperationFinished: ({ runId }: { runId: string }) => [job(JOB.ordersSyncAdvance, { runId })],
  /**
   * Fresh aggregates: rank the shop again (a second run the same day changes nothing twice). Before the shop's
   * first full run, Shopify's engagement signals first (as before a daily run), so lost_engaged and the personas
   * have data from the first run on. The export's orders still ready: false are asked for again.
   */
  syncCompleted: ({ scoredBefore }: { scoredBefore: boolean }) => [
    scoredBefore ? job(JOB.rfmScore) : job(JOB.engagementSync),
    job(JOB.orderJourneys),
  ],
  /**
   * A full run: write-back always (it also catches up after settings changes), Flow when segments moved, and the
   * predictions (their own job, so the run keeps its time budget; the forecast follows them).
   */
  scored: ({ flowEvents }: { flowEvents: number }) => [
    job(JOB.rfmWriteBack),
    job(JOB.rfmPredict),
    ...(flowEvents > 0 ? [job(JOB.rfmFlow)] : []),
    job(JOB.rfmInsights),
  ],
  /**
   * Predictions applied (bands, prediction behaviours): write-back only for customers whose bands or behaviours
   * moved; the forecast always (its moving-down list reads the P(alive) just stored).
   */
  predicted: ({ changed }: { changed: number }) => [
    ...(changed > 0 ? [job(JOB.rfmWriteBack)] : []),
    job(JOB.rfmForecast),
  ],
  /** An incremental run: write-back only when scores were written or removed. */
  rescored: ({ written, removed, flowEvents }: { written: number; removed: number; flowEvents: number }) => [
    ...(written > 0 || removed > 0 ? [job(JOB.rfmWriteBack)] : []),
    ...(flowEvents > 0 ? [job(JOB.rfmFlow)] : []),
  ],
  /** Refused Flow triggers get another go in five minutes (and with the next segment change). */
  flowTriggersSent: ({ retryable }: { retryable: number }) => (retryable > 0 ? [job(JOB.rfmFlow, {}, 300)] : []),
  /**
   * Order and customer webhooks queued changed customers (PendingRescore): re-score them; webhooks carry no journey,
   * so new orders' journeys are asked for a quarter of an hour later (one queued per shop, however many batches).
   */
  webhookChanges: () => [job(JOB.rfmRescore), job(JOB.orderJourneys, {}, JOURNEY_AFTER_WEBHOOK_SECONDS)],
  /** Journeys still ready: false within the give-up age: ask again in an hour. */
  journeysRefreshed: ({ pending }: { pending: number }) =>
    pending > 0 ? [job(JOB.orderJourneys, {}, JOURNEY_RETRY_SECONDS)] : [],
  /** New settings: score everyone again; write-back follows the run (tags, metafields, segments). */
  settingsSaved: () => [job(JOB.rfmScore)],
  /** The merchant asked for a run. */
  scoringRequested: () => [job(JOB.rfmScore)],
  /** The daily sweep found the shop due: Shopify's engagement signals first, so lost_engaged reads today's. */
  dailyRunDue: () => [job(JOB.engagementSync)],
  /** Engagement signals synced (or the sync failed and yesterday's stay): the full run. */
  engagementSynced: () => [job(JOB.rfmScore)],
  /** The merchant (or the nightly reconciliation) asked for a sync. */
  syncRequested: ({ kind }: { kind: SyncKind }) => [job(JOB.ordersSync, { kind })],
  /** Tags switched off or on, or the merchant asked: bring Shopify in line with the scores. */
  writeBackRequested: () => [job(JOB.rfmWriteBack)],
  /** "Remove everything the app wrote": one removal job for the request row. */
  appDataRemovalRequested: ({ removalId }: { removalId: bigint }) => [
    job(JOB.rfmRemoveAppData, { removalId: String(removalId) }),
  ],
  /** A pixel visit from a customer not known yet: ask Shopify whether they exist. */
  pixelVisit: () => [job(JOB.pixelVerify)],
} satisfies Record<string, (facts: never) => FollowUp[]>;

/** Sends one shop job (sendShopJob on some pg-boss). */
export type SendShopJob = (
  name: JobName,
  shop: string,
  data: Record<string, unknown>,
  startAfterSeconds?: number,
) => Promise<string | null>;

/** The named follow-ups, sending on the given queue one after the other, in the table's order. */
export function followUpsOn(send: SendShopJob) {
  const enqueue = async (shop: string, followUps: FollowUp[]) => {
    for (const f of followUps) await send(f.job, shop, f.data ?? {}, f.startAfterSeconds);
  };
  return {
    afterInstall: (shop: string, facts: { backfillStarted: boolean }) => enqueue(shop, FOLLOW_UPS.installed(facts)),
    afterSyncStarted: (shop: string, runId: string) => enqueue(shop, FOLLOW_UPS.syncStarted({ runId })),
    afterSyncWaiting: (shop: string, runId: string) => enqueue(shop, FOLLOW_UPS.syncWaiting({ runId })),
    afterSyncCompleted: (shop: string, facts: { scoredBefore: boolean }) =>
      enqueue(shop, FOLLOW_UPS.syncCompleted(facts)),
    afterBulkOperationFinished: (shop: string, runId: string) =>
      enqueue(shop, FOLLOW_UPS.bulkOperationFinished({ runId })),
    afterScoring: (shop: string, outcome: { flowEvents: number }) => enqueue(shop, FOLLOW_UPS.scored(outcome)),
    afterIncrementalScoring: (shop: string, outcome: { written: number; removed: number; flowEvents: number }) =>
      enqueue(shop, FOLLOW_UPS.rescored(outcome)),
    afterPredictions: (shop: string, outcome: { changed: number }) => enqueue(shop, FOLLOW_UPS.predicted(outcome)),
    afterFlowTriggers: (shop: string, outcome: { retryable: number }) =>
      enqueue(shop, FOLLOW_UPS.flowTriggersSent(outcome)),
    afterWebhookChanges: (shop: string) => enqueue(shop, FOLLOW_UPS.webhookChanges()),
    afterJourneysRefreshed: (shop: string, outcome: { pending: number }) =>
      enqueue(shop, FOLLOW_UPS.journeysRefreshed(outcome)),
    afterSettingsSaved: (shop: string) => enqueue(shop, FOLLOW_UPS.settingsSaved()),
    requestScoring: (shop: string) => enqueue(shop, FOLLOW_UPS.scoringRequested()),
    afterDailyRunDue: (shop: string) => enqueue(shop, FOLLOW_UPS.dailyRunDue()),
    afterEngagementSync: (shop: string) => enqueue(shop, FOLLOW_UPS.engagementSynced()),
    requestSync: (shop: string, kind: SyncKind) => enqueue(shop, FOLLOW_UPS.syncRequested({ kind })),
    requestWriteBack: (shop: string) => enqueue(shop, FOLLOW_UPS.writeBackRequested()),
    requestPixelVerification: (shop: string) => enqueue(shop, FOLLOW_UPS.pixelVisit()),
    requestAppDataRemoval: (shop: string, removalId: bigint) =>
      enqueue(shop, FOLLOW_UPS.appDataRemovalRequested({ removalId })),
  };
}

export type FollowUps = ReturnType<typeof followUpsOn>;

/** The follow-ups on this process's pg-boss, for the app (routes, webhooks, afterAuth). */
export const {
  afterInstall,
  afterSyncStarted,
  afterSyncWaiting,
  afterSyncCompleted,
  afterBulkOperationFinished,
  afterScoring,
  afterIncrementalScoring,
  afterFlowTriggers,
  afterWebhookChanges,
  afterSettingsSaved,
  requestScoring,
  requestSync,
  requestWriteBack,
  requestPixelVerification,
  requestAppDataRemoval,
} = followUpsOn(async (name, shop, data, startAfterSeconds) =>
  sendShopJob(await boss(), name, shop, data, startAfterSeconds),
);

export const NIGHTLY_RECONCILE_CRON = "30 3 * * *";
export const RFM_DAILY_DISPATCH_CRON = "7 * * * *";
export const INBOX_PRUNE_CRON = "*/10 * * * *";
