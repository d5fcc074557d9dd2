import pg from "pg";
import { applyMigrations } from "../../app/platform/db/migrate.server";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../app/platform/db/embedded-postgres.server";

export const TEST_WORKERS = Number(process.env.TEST_WORKERS ?? 2);

export interface TestDatabases {
  kind: "postgresql" | "pglite";
  urls: string[];
  stop: () => Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * One database per vitest worker, so test files running at the same time
 * never share rows: on the PostgreSQL server in DATABASE_URL, a fresh
 * database per worker; otherwise one embedded PGlite server per worker.
 */
export async function createTestDatabases(count = TEST_WORKERS): Promise<TestDatabases> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    const runId = `${process.pid}`;
    const names = Array.from({ length: count }, (_, i) => `rfm_test_${runId}_w${i + 1}`);
    for (const name of names) {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${name}"`);
    }
    await admin.end();
    const urls = names.map((n) => withDatabase(serverUrl, n));
    for (const url of urls) await applyMigrations(url);
    return {
      kind: "postgresql",
      urls,
      stop: async () => {
        const c = new pg.Client({ connectionString: serverUrl });
        await c.connect();
        for (const name of names) await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const servers: EmbeddedPostgres[] = await Promise.all(
    Array.from({ length: count }, () => startEmbeddedPostgres({ dataDir: "memory://" })),
  );
  for (const s of servers) await applyMigrations(s.url);
  return {
    kind: "pglite",
    urls: servers.map((s) => s.url),
    stop: async () => {
      await Promise.all(servers.map((s) => s.stop()));
    },
  };
}

/** Empties every application table (and pg-boss's jobs) of one worker database. */
export async function resetDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`,
    );
    if (rows.length > 0) await client.query(`TRUNCATE ${rows.map((r) => `"${r.table_name}"`).join(", ")} CASCADE`);
    const boss = await client.query(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = 'pgboss' AND table_name = 'job'`,
    );
    if (boss.rowCount) await client.query(`DELETE FROM pgboss.job`);
  } finally {
    await client.end();
  }
}
