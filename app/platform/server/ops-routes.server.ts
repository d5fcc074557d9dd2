import { timingSafeEqual } from "node:crypto";
import { Router, type Response } from "express";
import type { Db } from "../db.server";
import { pendingMigrations } from "../db/migrate.server";
import { logger } from "../logger.server";
import { renderMetrics, type MetricsSources } from "./metrics.server";
import { PROMETHEUS_CONTENT_TYPE } from "./prometheus-text.server";
import { workerStatuses, type WorkerStatus } from "./worker-heartbeat.server";

export interface OpsRoutesOptions {
  databaseUrl: string;
  db: () => Db;
  deadLetters: MetricsSources["deadLetters"];
  /** Bearer token for /metrics; undefined = /metrics answers 404. */
  metricsToken?: string;
  /** How long a readiness check may wait for the database. */
  probeTimeoutMs?: number;
}

/** Rejects after ms: a probe against a database that never answers still answers. */
function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors[0] instanceof Error) return error.errors[0].message;
  return error instanceof Error ? error.message || error.name : String(error);
}

function noStore(res: Response): Response {
  return res.set("Cache-Control", "no-store");
}

/**
 * The operations endpoints, mounted before Remix (no session auth, nothing embedded):
 *   GET /healthz         the process is up (touches nothing else)
 *   GET /readyz          the database answers and every migration is applied (503 + reason otherwise); the workers'
 *                        heartbeats are listed for information and never make it fail
 *   GET /healthz/worker  some worker's heartbeat is fresh (503 otherwise)
 *   GET /metrics         Prometheus text, with `Authorization: Bearer $METRICS_TOKEN`
 */
export function opsRoutes(options: OpsRoutesOptions): Router {
  const router = Router();
  const timeoutMs = options.probeTimeoutMs ?? 2_000;
  const startedAt = Date.now();

  router.get("/healthz", (_req, res) => {
    noStore(res).json({ status: "ok", pid: process.pid, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) });
  });

  const workers = async (): Promise<{ workers: WorkerStatus[] } | { error: string }> => {
    try {
      return { workers: await within(timeoutMs, "the database", workerStatuses(options.db())) };
    } catch (error) {
      return { error: reasonOf(error) };
    }
  };

  router.get("/readyz", async (_req, res) => {
    let reason: string | undefined;
    let pending: string[] = [];
    try {
      pending = await pendingMigrations(options.databaseUrl, { timeoutMs });
      if (pending.length > 0) reason = `${pending.length} migration(s) not applied: ${pending.join(", ")}`;
    } catch (error) {
      reason = `database unreachable: ${reasonOf(error)}`;
    }
    const worker = reason ? { error: "not checked: the database is not ready" } : await workers();
    if (reason) logger.warn({ reason }, "not ready");
    noStore(res)
      .status(reason ? 503 : 200)
      .json({
        status: reason ? "unavailable" : "ready",
        ...(reason ? { reason } : {}),
        pendingMigrations: pending,
        worker,
      });
  });

  router.get("/healthz/worker", async (_req, res) => {
    const worker = await workers();
    const alive = "workers" in worker && worker.workers.some((w) => w.alive);
    noStore(res)
      .status(alive ? 200 : 503)
      .json({
        status: alive ? "ok" : "unavailable",
        ...(alive ? {} : { reason: "error" in worker ? worker.error : "no worker heartbeat in the last 30 s" }),
        ...worker,
      });
  });

  router.get("/metrics", async (req, res) => {
    const token = options.metricsToken;
    if (!token) return void res.status(404).type("text/plain").send("Not Found");
    const given = Buffer.from(/^Bearer (.+)$/.exec(req.get("authorization") ?? "")?.[1] ?? "");
    const expected = Buffer.from(token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return void res.status(401).set("WWW-Authenticate", "Bearer").type("text/plain").send("Unauthorized");
    }
    try {
      const text = await within(
        timeoutMs * 2,
        "the metrics queries",
        renderMetrics({ db: options.db(), deadLetters: options.deadLetters }),
      );
      // res.setHeader + end: Express' set/send would rewrite the media type's parameters.
      noStore(res).status(200).setHeader("Content-Type", PROMETHEUS_CONTENT_TYPE);
      res.end(text);
    } catch (error) {
      logger.warn({ err: error }, "metrics scrape failed");
      noStore(res)
        .status(503)
        .type("text/plain")
        .send(`metrics unavailable: ${reasonOf(error)}`);
    }
  });

  return router;
}
