import pg from "pg";
import { env } from "../env.server";
import { logger } from "../logger.server";

declare global {
  var __rfmPgPool: pg.Pool | undefined;
}

/** A plain pg pool for what Prisma cannot do (COPY streams for bulk ingest). */
export function pgPool(): pg.Pool {
  if (!globalThis.__rfmPgPool) {
    const pool = new pg.Pool({ connectionString: env().DATABASE_URL, max: 4 });
    // An idle client losing its connection must not take the process down.
    pool.on("error", (error) => logger.error({ err: error }, "idle PostgreSQL client error"));
    globalThis.__rfmPgPool = pool;
  }
  return globalThis.__rfmPgPool;
}
