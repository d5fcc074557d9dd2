// `npm start`: the web process (and, by default, the background worker).
import { ensureDatabase, PROJECT_ROOT } from "../db/ensure-database.server";
import { env } from "../env.server";
import { logger } from "../logger.server";
import { startHttpServer } from "./http.server";

async function main() {
  const database = await ensureDatabase();
  const config = env();
  const http = await startHttpServer({
    mode: config.NODE_ENV,
    port: config.PORT,
    host: config.HOST,
    root: PROJECT_ROOT,
    trustProxyHops: config.TRUST_PROXY_HOPS,
  });
  if (config.WORKER_MODE === "inline") {
    const { runWorker } = await import("../../pipeline/run-worker.server");
    await runWorker();
  }
  process.stdout.write(`READY ${http.url}\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const { stopBoss } = await import("../../pipeline/jobs.server");
    await http.close();
    await stopBoss();
    const { db } = await import("../db.server");
    await db().$disconnect();
    await database.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, "failed to start");
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
