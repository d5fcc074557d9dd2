// `npm start`: the web process (and, by default, the background worker).
import { ensureDatabase, PROJECT_ROOT } from "../db/ensure-database.server";
import { InvalidEnvironmentError, parseStartupEnv } from "../env.server";
import { logger } from "../logger.server";
import { startHttpServer } from "./http.server";
import { opsRoutes } from "./ops-routes.server";
import { startWorkerHeartbeat } from "./worker-heartbeat.server";

/** What a started piece needs to stop, newest first: a failed start undoes what it had started. */
const started: { name: string; stop: () => Promise<unknown> }[] = [];

async function stopAll(): Promise<void> {
  while (started.length > 0) {
    const piece = started.pop();
    if (!piece) break;
    await piece.stop().catch((error: unknown) => logger.error({ err: error, piece: piece.name }, "stop failed"));
  }
}

async function main() {
  // Before anything starts or migrates: a bad environment stops here, naming every variable.
  const config = parseStartupEnv(process.env);
  const shutdownMs = config.SHUTDOWN_TIMEOUT_SECONDS * 1000;

  const database = await ensureDatabase(config.PGLITE_DATA_DIR ? { embeddedDir: config.PGLITE_DATA_DIR } : {});
  started.push({ name: "database", stop: database.stop });
  const { db } = await import("../db.server");
  started.push({ name: "prisma", stop: () => db().$disconnect() });
  const jobs = await import("../../pipeline/jobs.server");
  started.push({ name: "pg-boss", stop: () => jobs.stopBoss(shutdownMs) });

  const http = await startHttpServer({
    mode: config.NODE_ENV,
    port: config.PORT,
    host: config.HOST,
    root: PROJECT_ROOT,
    trustProxyHops: config.TRUST_PROXY_HOPS,
    before: opsRoutes({
      databaseUrl: database.url,
      db,
      metricsToken: config.METRICS_TOKEN,
      deadLetters: jobs.deadLetterCounts,
    }),
  });
  started.push({ name: "http", stop: () => http.close(shutdownMs) });
  if (config.WORKER_MODE === "inline") {
    const { runWorker } = await import("../../pipeline/run-worker.server");
    const applier = await runWorker();
    const heartbeat = startWorkerHeartbeat(db(), "inline");
    // Stopped after HTTP (in-flight inbox writes land) and before pg-boss: the applier finishes its current batch,
    // then the heartbeat goes once the worker stops taking jobs.
    started.splice(
      started.length - 1,
      0,
      { name: "worker heartbeat", stop: heartbeat.stop },
      { name: "inbox applier", stop: applier.stop },
    );
  }
  process.stdout.write(`READY ${http.url}\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, timeoutSeconds: config.SHUTDOWN_TIMEOUT_SECONDS }, "shutting down");
    // Whatever hangs, the process still ends (non-zero: something was cut short).
    setTimeout(() => {
      logger.error("shutdown did not finish in time");
      process.exit(1);
    }, shutdownMs + 5_000).unref();
    // Newest first: HTTP drains (webhooks in flight commit and enqueue), then the worker finishes its job, then the
    // database goes.
    await stopAll();
    logger.info("stopped");
    process.exit(0);
  };
  // Ours alone: in development the Remix Vite plugin's child compiler registers Vite's own SIGTERM handler, which
  // exits (143) at once, cutting requests in flight. Vite is closed by http.close() instead.
  process.removeAllListeners("SIGTERM");
  process.removeAllListeners("SIGINT");
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch(async (error: unknown) => {
  if (error instanceof InvalidEnvironmentError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  logger.fatal({ err: error }, "failed to start");
  process.stderr.write(`failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  await stopAll();
  process.exit(1);
});
