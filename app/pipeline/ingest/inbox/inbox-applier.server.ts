import os from "node:os";
import type { PgBoss } from "pg-boss";
import type { Db, DbTx } from "../../../platform/db.server";
import { logger } from "../../../platform/logger.server";
import { followUpsOn, type SendShopJob } from "../../jobs.server";
import { applyNextBatch, type BatchDeps, type BatchOutcome, type PausePoint } from "./apply-batch.server";

export interface InboxApplierOptions {
  /** Drain loops in this process (each applies one batch at a time; different shops run in parallel). */
  concurrency: number;
  batchSize?: number;
  /** Idle poll interval: each loop waits idleMs..2×idleMs when no shop has pending events. */
  idleMs?: number;
  pauseAt?: PausePoint;
}

export interface InboxApplier {
  /** Stops taking batches; resolves once every loop finished its current batch. */
  stop(): Promise<void>;
}

export const DEFAULT_BATCH_SIZE = 500;

/** The re-score follow-up of a batch, sent through the batch transaction (pg-boss writes its job row there). */
function rescoreInTransaction(boss: PgBoss) {
  return async (tx: DbTx, shop: string) => {
    const db = {
      executeSql: async (text: string, values: unknown[] = []) => ({
        rows: await tx.$queryRawUnsafe<unknown[]>(text, ...values),
      }),
    };
    const send: SendShopJob = (name, jobShop, data) =>
      boss.send(name, { ...data, shop: jobShop }, { singletonKey: jobShop, db });
    await followUpsOn(send).afterWebhookChanges(shop);
  };
}

export function batchDeps(db: Db, boss: PgBoss | null, options: Omit<InboxApplierOptions, "concurrency">): BatchDeps {
  return {
    db,
    worker: `${os.hostname()}:${process.pid}`,
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    parsedAhead: new Map(),
    ...(boss ? { sendRescore: rescoreInTransaction(boss) } : {}),
    ...(options.pauseAt ? { pauseAt: options.pauseAt } : {}),
  };
}

/**
 * The webhook inbox's drain loops: each claims the fairest shop's next batch, applies it and goes again at once
 * while there is work; idle, it polls every idleMs..2×idleMs.
 */
export function startInboxApplier(db: Db, boss: PgBoss | null, options: InboxApplierOptions): InboxApplier {
  const deps = batchDeps(db, boss, options);
  const idleMs = options.idleMs ?? 100;
  let stopping = false;
  const sleepers = new Set<() => void>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });

  const loop = async (index: number) => {
    while (!stopping) {
      let outcome: BatchOutcome | null = null;
      try {
        outcome = await applyNextBatch(deps);
        if (outcome) logger.debug({ loop: index, ...outcome, failedSeq: outcome.failedSeq?.toString() }, "inbox batch");
      } catch (error) {
        logger.error({ err: error, loop: index }, "inbox applier: batch failed");
      }
      if (!outcome && !stopping) await sleep(idleMs + Math.random() * idleMs);
    }
  };
  const loops = Array.from({ length: options.concurrency }, (_, i) => loop(i));
  logger.info({ concurrency: options.concurrency, batchSize: deps.batchSize }, "inbox applier started");
  return {
    stop: async () => {
      stopping = true;
      for (const wake of [...sleepers]) wake();
      await Promise.all(loops);
      logger.info("inbox applier stopped");
    },
  };
}

/**
 * Applies batches until no shop has pending events (the tests and the benchmark); `concurrency` loops at once.
 * Returns the events and batches applied.
 */
export async function drainInbox(
  db: Db,
  options: { boss?: PgBoss | null; batchSize?: number; concurrency?: number } = {},
): Promise<{ events: number; batches: number }> {
  const deps = batchDeps(db, options.boss ?? null, { batchSize: options.batchSize });
  const total = { events: 0, batches: 0 };
  const loop = async () => {
    for (;;) {
      const outcome = await applyNextBatch(deps);
      if (!outcome) return;
      total.events += outcome.events;
      total.batches++;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 1 }, loop));
  return total;
}
