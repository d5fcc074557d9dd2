import pg from "pg";
import { applyMigrations } from "../../app/platform/db/migrate.server";
import { startEmbeddedPostgres } from "../../app/platform/db/embedded-postgres.server";

/** A fresh, migrated database for a benchmark: on the server in DATABASE_URL, or an embedded PGlite. */
export async function benchDatabase(name: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = process.env.DATABASE_URL;
  if (!server) {
    const embedded = await startEmbeddedPostgres({ dataDir: "memory://" });
    await applyMigrations(embedded.url);
    return embedded;
  }
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(server);
  u.pathname = `/${name}`;
  await applyMigrations(u.toString());
  return { url: u.toString(), stop: async () => {} };
}
