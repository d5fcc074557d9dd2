import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { applyMigrations } from "./migrate.server";
import { PROJECT_ROOT } from "./ensure-database.server";

const run = promisify(execFile);

describe("applyMigrations", () => {
  it("GIVEN an up-to-date database THEN it applies nothing", async () => {
    expect(await applyMigrations(process.env.DATABASE_URL as string)).toEqual([]);
  });

  it("records migrations exactly as Prisma Migrate does: `prisma migrate status` agrees", async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"`,
    );
    await client.end();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.finished_at).not.toBeNull();

    // The project's Prisma wrapper (it supplies the schema-engine stand-in where Prisma cannot download one).
    const { stdout } = await run(process.execPath, [path.join(PROJECT_ROOT, "prisma/cli.mjs"), "migrate", "status"], {
      cwd: PROJECT_ROOT,
    });
    expect(stdout).toMatch(/Database schema is up to date/);
  });
});
