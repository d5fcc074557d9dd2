// `npm run worker`: the background worker as its own process (set WORKER_MODE=off on the web processes).
import { env } from "../env.server";
import { logger } from "../logger.server";
import { applyMigrations } from "../db/migrate.server";
import { runWorker } from "../../pipeline/run-worker.server";
import { stopBoss } from "../../pipeline/jobs.server";

async function main() {
  if (!process.env.DATABASE_URL) {
    throw new Error("DATABASE_URL is required for a separate worker: the embedded database belongs to the web process");
  }
  await applyMigrations(env().DATABASE_URL);
  await runWorker();
  const shutdown = async () => {
    await stopBoss();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, "worker failed to start");
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
