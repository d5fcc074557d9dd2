import pg from "pg";
import { applyMigrations, migrationNames } from "../../app/platform/db/migrate.server";
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

export interface TemplatedDatabase {
  /** A fresh copy of the seeded template (the previous copy is dropped); its URL. */
  fresh: () => Promise<string>;
  stop: () => Promise<void>;
}

/**
 * Seeds a benchmark's data once into a template database and hands out clones (`CREATE DATABASE … TEMPLATE`,
 * a file copy), so every repetition starts from the same state without paying for the seed. The template is
 * kept between runs and reseeded when `version` (seed parameters) or the migrations change. The embedded
 * database has no templates: there each `fresh()` migrates and seeds a new in-memory database.
 */
export async function benchTemplate(
  name: string,
  version: string,
  seed: (url: string) => Promise<void>,
): Promise<TemplatedDatabase> {
  const server = process.env.DATABASE_URL;
  if (!server) {
    let current: { stop: () => Promise<void> } | null = null;
    return {
      fresh: async () => {
        await current?.stop();
        const embedded = await startEmbeddedPostgres({ dataDir: "memory://" });
        current = embedded;
        await applyMigrations(embedded.url);
        await seed(embedded.url);
        return embedded.url;
      },
      stop: async () => {
        await current?.stop();
      },
    };
  }
  const at = (database: string) => {
    const u = new URL(server);
    u.pathname = `/${database}`;
    return u.toString();
  };
  const template = `${name}_template`;
  const stamp = `${version} migrations=${(await migrationNames()).join(",")}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  const { rows } = await admin.query<{ comment: string | null }>(
    `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
    [template],
  );
  if (rows[0]?.comment !== stamp) {
    await admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${template}"`);
    await applyMigrations(at(template));
    await seed(at(template));
    // Nothing else may be connected while the template is copied.
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [template],
    );
    await admin.query(`COMMENT ON DATABASE "${template}" IS ${pg.escapeLiteral(stamp)}`);
  }
  return {
    fresh: async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      return at(name);
    },
    stop: async () => {
      await admin.end();
    },
  };
}
