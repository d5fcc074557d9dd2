import path from "node:path";
import { fileURLToPath } from "node:url";
import { applyMigrations } from "./migrate.server";
import { startEmbeddedPostgres } from "./embedded-postgres.server";
import { logger } from "../logger.server";

export const PROJECT_ROOT = fileURLToPath(new URL("../../..", import.meta.url));

/**
 * Uses DATABASE_URL when set; otherwise starts the embedded PGlite server on
 * a free loopback port with data under .data/, and points DATABASE_URL at it.
 * Either way, pending migrations are applied.
 */
export async function ensureDatabase(
  opts: { embeddedDir?: string; fresh?: boolean } = {},
): Promise<{ url: string; stop: () => Promise<void> }> {
  let url = process.env.DATABASE_URL;
  let stop = async () => {};
  if (!url) {
    const embedded = await startEmbeddedPostgres({
      dataDir: opts.embeddedDir ?? path.join(PROJECT_ROOT, ".data", "pglite"),
      fresh: opts.fresh,
    });
    url = embedded.url;
    stop = embedded.stop;
    process.env.DATABASE_URL = url;
  }
  try {
    const applied = await applyMigrations(url);
    if (applied.length > 0) logger.info({ applied }, "migrations applied");
  } catch (error) {
    // A start that fails here (database unreachable, a migration failing) leaves no embedded server behind.
    await stop();
    throw error;
  }
  return { url, stop };
}
