// `npm run worker`: the background worker as its own process (set WORKER_MODE=off on the web processes).
import { InvalidEnvironmentError, parseEnv } from "../env.server";
import { logger } from "../logger.server";
import { applyMigrations } from "../db/migrate.server";
import { startWorkerHeartbeat } from "./worker-heartbeat.server";

async function main() {
  if (!process.env.DATABASE_URL) {
    throw new InvalidEnvironmentError([
      "DATABASE_URL is required for a separate worker: the embedded database belongs to the web process",
    ]);
  }
  // Before anything connects or migrates: a bad environment stops here, naming every variable.
  const config = parseEnv(process.env);
  await applyMigrations(config.DATABASE_URL);
  const { runWorker } = await import("../../pipeline/run-worker.server");
  const { stopBoss } = await import("../../pipeline/jobs.server");
  const { db } = await import("../db.server");
  const applier = await runWorker();
  const heartbeat = startWorkerHeartbeat(db(), "separate");
  process.stdout.write("WORKER READY\n");

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "worker shutting down: finishing the running jobs");
    setTimeout(
      () => {
        logger.error("worker shutdown did not finish in time");
        process.exit(1);
      },
      config.SHUTDOWN_TIMEOUT_SECONDS * 1000 + 5_000,
    ).unref();
    // The applier first: its current batch commits (and sends its re-score) while pg-boss still runs.
    await applier.stop();
    await heartbeat.stop();
    await stopBoss(config.SHUTDOWN_TIMEOUT_SECONDS * 1000);
    await db().$disconnect();
    logger.info("worker stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  if (error instanceof InvalidEnvironmentError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  logger.fatal({ err: error }, "worker failed to start");
  process.stderr.write(`worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
