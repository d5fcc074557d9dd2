import { z } from "zod";
import type { Db, DbTx } from "../db.server";
import { SQL_FILES, SQL_ROWS, type SqlFile, type SqlParams, type SqlRowFile, type SqlRows } from "../../generated/sql";

/**
 * The one way app code runs raw SQL: by the name of its .sql file (relative
 * to app/), with the parameters its header declares, and rows parsed by the
 * zod schema generated from that header.
 */

type Client = Db | DbTx;

export type SqlRow<K extends SqlRowFile> = SqlRows[K];
type Params<K extends SqlFile> = SqlParams[K] & unknown[];

/** Runs a row-returning file; rows that do not match the declared shape throw. */
export async function queryRows<K extends SqlRowFile>(db: Client, file: K, ...params: Params<K>): Promise<SqlRow<K>[]> {
  const schema: z.ZodType = SQL_ROWS[file];
  const rows = await db.$queryRawUnsafe<unknown[]>(SQL_FILES[file].text, ...params);
  // The schema generated for this file parses exactly SqlRows[K]; TypeScript cannot follow the generic index.
  return z.array(schema).parse(rows) as SqlRow<K>[];
}

/**
 * Runs a statement for its effect and returns the affected row count. Not
 * async on purpose: the PrismaPromise can join a batch `$transaction([...])`.
 */
export function execute<K extends SqlFile>(db: Client, file: K, ...params: Params<K>) {
  return db.$executeRawUnsafe(SQL_FILES[file].text, ...params);
}

/** A plain node-postgres client or pool (the paths where Prisma's per-query cost matters: the webhook receiver). */
export interface PgQueryable {
  query(config: { name?: string; text: string; values?: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * Runs a row-returning file on node-postgres. node-postgres returns int8 and numeric as strings, so a file run here
 * declares neither in its rows (the schema would refuse them). Unnamed statements: the embedded database is one
 * session shared by every client, where a second client preparing the same name would fail.
 */
export async function pgRows<K extends SqlRowFile>(
  client: PgQueryable,
  file: K,
  ...params: Params<K>
): Promise<SqlRow<K>[]> {
  const schema: z.ZodType = SQL_ROWS[file];
  const { rows } = await client.query({ text: SQL_FILES[file].text, values: params });
  return z.array(schema).parse(rows) as SqlRow<K>[];
}

/** Runs a statement file on node-postgres for its effect (the prediction job's own transaction). */
export async function pgExecute<K extends SqlFile>(client: PgQueryable, file: K, ...params: Params<K>): Promise<void> {
  const { text } = SQL_FILES[file];
  await client.query(SQL_FILES[file].prepared ? { text, values: params } : { text });
}
