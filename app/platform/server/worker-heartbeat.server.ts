import { hostname } from "node:os";
import type { Db } from "../db.server";
import { logger } from "../logger.server";

/** How often a worker touches its row, and when a row that stopped counts as a dead worker. */
export const HEARTBEAT_INTERVAL_MS = 5_000;
export const HEARTBEAT_STALE_SECONDS = 30;
/** Rows of workers that died without saying goodbye are dropped after a day. */
const FORGET_AFTER_MS = 24 * 3600 * 1000;

export type WorkerMode = "inline" | "separate";

export interface WorkerStatus {
  id: string;
  host: string;
  pid: number;
  mode: string;
  startedAt: string;
  beatAt: string;
  ageSeconds: number;
  alive: boolean;
}

/**
 * Keeps this process's WorkerHeartbeat row fresh while its pg-boss worker runs. A beat that fails (database
 * briefly down) is logged and retried on the next tick; stop() removes the row.
 */
export function startWorkerHeartbeat(db: Db, mode: WorkerMode): { stop: () => Promise<void> } {
  const host = hostname();
  const id = `${host}:${process.pid}`;
  const startedAt = new Date();
  const beat = async () => {
    const beatAt = new Date();
    await db.workerHeartbeat.upsert({
      where: { id },
      create: { id, host, pid: process.pid, mode, startedAt, beatAt },
      update: { beatAt },
    });
    await db.workerHeartbeat.deleteMany({ where: { beatAt: { lt: new Date(beatAt.getTime() - FORGET_AFTER_MS) } } });
  };
  let current = beat().catch((error: unknown) => logger.warn({ err: error }, "worker heartbeat failed"));
  const timer = setInterval(() => {
    current = beat().catch((error: unknown) => logger.warn({ err: error }, "worker heartbeat failed"));
  }, HEARTBEAT_INTERVAL_MS);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await current;
      await db.workerHeartbeat.deleteMany({ where: { id } }).catch(() => undefined);
    },
  };
}

/** Every worker that beat recently enough to be remembered, newest first, with whether it still counts as alive. */
export async function workerStatuses(db: Db, now = new Date()): Promise<WorkerStatus[]> {
  const rows = await db.workerHeartbeat.findMany({ orderBy: { beatAt: "desc" } });
  return rows.map((row) => {
    const ageSeconds = Math.max(0, (now.getTime() - row.beatAt.getTime()) / 1000);
    return {
      id: row.id,
      host: row.host,
      pid: row.pid,
      mode: row.mode,
      startedAt: row.startedAt.toISOString(),
      beatAt: row.beatAt.toISOString(),
      ageSeconds: Math.round(ageSeconds * 10) / 10,
      alive: ageSeconds <= HEARTBEAT_STALE_SECONDS,
    };
  });
}
