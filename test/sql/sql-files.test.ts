import { readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SQL_FILES, type SqlFile } from "../../app/generated/sql";
import { generateSqlModule } from "../../app/platform/db/sql-generator";
import { SQL_TYPES, isSqlType } from "../../app/platform/db/sql-types";

// Every app/**/*.sql against the test database (PGlite or PostgreSQL, whichever the suite runs on):
// it must PREPARE with its declared parameter types, and a row-returning file must return exactly
// the declared columns, by name and type OID (node-pg reports them even for zero rows).

const APP = path.resolve(import.meta.dirname, "../../app");
const keys = Object.keys(SQL_FILES) as SqlFile[];

function oidOf(declared: string): number {
  const array = declared.endsWith("[]");
  const name = array ? declared.slice(0, -2) : declared;
  if (!isSqlType(name)) throw new Error(`unknown type ${declared}`);
  return array ? SQL_TYPES[name].arrayOid : SQL_TYPES[name].oid;
}

describe("SQL files", () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
  });

  it("app/generated/sql.ts is up to date (npm run generate:sql)", async () => {
    const { source } = await generateSqlModule(APP);
    expect(await readFile(path.join(APP, "generated", "sql.ts"), "utf8")).toBe(source);
  });

  it.each(keys)("%s", async (key) => {
    const file = SQL_FILES[key];
    await client.query("BEGIN");
    try {
      for (const setup of file.setup) await client.query(SQL_FILES[setup as SqlFile].text);
      if (!file.prepared) {
        await client.query(file.text);
        return;
      }
      const types = file.params.length > 0 ? `(${file.params.join(", ")})` : "";
      await client.query(`PREPARE sql_file_check${types} AS ${file.text}`);
      await client.query("DEALLOCATE sql_file_check");
      if (file.columns.length === 0) return;
      const result = await client.query(
        file.text,
        file.params.map(() => null),
      );
      expect(result.fields.map((f) => [f.name, f.dataTypeID])).toEqual(
        file.columns.map(([name, type]) => [name, oidOf(type)]),
      );
    } finally {
      await client.query("ROLLBACK");
    }
  });
});
