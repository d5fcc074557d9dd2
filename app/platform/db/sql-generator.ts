import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { format } from "prettier";
import { SQL_PARAM_TS, SQL_TYPES, isSqlType, type SqlTypeName } from "./sql-types";

/**
 * Reads every app/**\/*.sql and renders app/generated/sql.ts: the statement
 * texts (Vite bundles and tsx both import them as plain TypeScript, so no
 * file is read at run time), a zod row schema per row-returning file, and
 * the parameter tuple of each file. The header of a file declares its shape:
 *
 *   -- @param $1 shop text
 *   -- @param $2 customerIds int8[]?      (`?`: NULL allowed, `[]`: array)
 *   -- @param $3 pAlive float8[] binary    (int4[]/float8[] sent as a BinaryArray: node-postgres files only)
 *   -- @row "customerId" int8
 *   -- @row segment text?
 *   -- @setup pipeline/ingest/stage-create.sql   (test only: run first, e.g. a temp table it reads)
 *   -- @unprepared                        (SET/ANALYZE: the test runs it instead of PREPARE)
 *
 * Shared predicates live in `*.fragment.sql` files and are pasted in where a
 * statement says `/*@include pipeline/aggregate/counted-order.fragment.sql*\/`
 * — at generation time, as SQL text; values always travel as parameters.
 */

export interface SqlColumn {
  name: string;
  type: SqlTypeName;
  array: boolean;
  nullable: boolean;
  /** A parameter passed in binary array format (binary-array.ts). */
  binary: boolean;
}

export interface SqlFileInfo {
  key: string;
  text: string;
  params: (SqlColumn & { index: number })[];
  rows: SqlColumn[];
  setup: string[];
  prepared: boolean;
}

const FRAGMENT = /\.fragment\.sql$/;
const INCLUDE = /\/\*@include ([\w./-]+)\*\//g;

async function sqlFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "generated") out.push(...(await sqlFiles(full, base)));
    } else if (entry.name.endsWith(".sql")) out.push(path.relative(base, full).split(path.sep).join("/"));
  }
  return out.sort();
}

function parseColumn(key: string, spec: string): SqlColumn {
  const m = /^("[^"]+"|\w+)\s+(\w+)(\[\])?(\?)?(\s+binary)?$/.exec(spec.trim());
  if (!m?.[1] || !m[2]) throw new Error(`${key}: cannot read "${spec}" (want: name type[]? [binary])`);
  const type = m[2];
  if (!isSqlType(type)) throw new Error(`${key}: unknown type ${type} (known: ${Object.keys(SQL_TYPES).join(", ")})`);
  const binary = Boolean(m[5]);
  if (binary && !(m[3] && (type === "int4" || type === "float8")))
    throw new Error(`${key}: only int4[] and float8[] go binary ("${spec}")`);
  return { name: m[1].replace(/^"|"$/g, ""), type, array: Boolean(m[3]), nullable: Boolean(m[4]), binary };
}

/** Splits a file into its header directives and its statement. */
export function parseSqlFile(key: string, source: string, fragments: Map<string, string>): SqlFileInfo {
  const info: SqlFileInfo = { key, text: "", params: [], rows: [], setup: [], prepared: true };
  const lines = source.split("\n");
  let body = 0;
  for (; body < lines.length; body++) {
    const line = (lines[body] ?? "").trim();
    if (!line.startsWith("--")) break;
    const d = /^--\s*@(\w+)\s*(.*)$/.exec(line);
    if (!d) continue;
    const [, name, rest = ""] = d;
    if (name === "param") {
      const p = /^\$(\d+)\s+(.*)$/.exec(rest);
      if (!p?.[1] || !p[2]) throw new Error(`${key}: cannot read @param ${rest}`);
      info.params.push({ index: Number(p[1]), ...parseColumn(key, p[2]) });
    } else if (name === "row") info.rows.push(parseColumn(key, rest));
    else if (name === "setup") info.setup.push(rest.trim());
    else if (name === "unprepared") info.prepared = false;
    else throw new Error(`${key}: unknown directive @${name}`);
  }
  info.params.sort((a, b) => a.index - b.index);
  info.params.forEach((p, i) => {
    if (p.index !== i + 1) throw new Error(`${key}: parameters must be $1..$n without gaps`);
  });
  // A fragment may include fragments itself (a shared CTE built on a shared predicate).
  const expand = (text: string, depth: number): string =>
    text.replace(INCLUDE, (_, file: string) => {
      const fragment = fragments.get(file);
      if (fragment === undefined) throw new Error(`${key}: no fragment ${file}`);
      if (depth > 4) throw new Error(`${key}: fragments include each other too deeply (${file})`);
      return expand(fragment, depth + 1);
    });
  info.text = expand(lines.slice(body).join("\n").trim(), 0);
  const used = new Set([...info.text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
  for (const n of used) if (n > info.params.length) throw new Error(`${key}: $${n} is not declared`);
  if (used.size !== info.params.length) throw new Error(`${key}: a declared parameter is never used`);
  return info;
}

function stripHeader(source: string): string {
  return source
    .split("\n")
    .filter((l) => !l.trim().startsWith("--"))
    .join("\n")
    .trim();
}

export async function readSqlFiles(appDir: string): Promise<SqlFileInfo[]> {
  const keys = await sqlFiles(appDir);
  const fragments = new Map<string, string>();
  for (const key of keys.filter((k) => FRAGMENT.test(k)))
    fragments.set(key, stripHeader(await readFile(path.join(appDir, key), "utf8")));
  const files: SqlFileInfo[] = [];
  for (const key of keys.filter((k) => !FRAGMENT.test(k)))
    files.push(parseSqlFile(key, await readFile(path.join(appDir, key), "utf8"), fragments));
  for (const f of files)
    for (const s of f.setup) if (!files.some((g) => g.key === s)) throw new Error(`${f.key}: no setup file ${s}`);
  return files;
}

function zodOf(c: SqlColumn): string {
  let z: string = SQL_TYPES[c.type].zod;
  if (c.array) z = `z.array(${z})`;
  return c.nullable ? `${z}.nullable()` : z;
}

function tsParam(c: SqlColumn): string {
  if (c.binary) return c.nullable ? "BinaryArray | null" : "BinaryArray";
  let t = SQL_PARAM_TS[c.type];
  if (c.array) t = t.includes("|") ? `(${t})[]` : `${t}[]`;
  return c.nullable ? `${t} | null` : t;
}

const q = (s: string) => JSON.stringify(s);

export function renderSqlModule(files: SqlFileInfo[]): string {
  const out: string[] = [
    "// Generated by app/cli/generate-sql.ts from app/**/*.sql: do not edit (npm run generate:sql).",
    'import { z } from "zod";',
    'import type { Prisma } from "./prisma/client";',
    'import { sqlDecimal } from "../platform/db/sql-types";',
    'import type { BinaryArray } from "../platform/db/binary-array";',
    "",
    "export const SQL_FILES = {",
  ];
  for (const f of files) {
    out.push(`  ${q(f.key)}: {`);
    out.push(`    text: ${q(f.text)},`);
    out.push(`    params: [${f.params.map((p) => q(p.type + (p.array ? "[]" : ""))).join(", ")}],`);
    out.push(`    columns: [${f.rows.map((r) => `[${q(r.name)}, ${q(r.type + (r.array ? "[]" : ""))}]`).join(", ")}],`);
    out.push(`    setup: [${f.setup.map(q).join(", ")}],`);
    out.push(`    prepared: ${f.prepared},`);
    out.push("  },");
  }
  out.push("} as const;", "", "export type SqlFile = keyof typeof SQL_FILES;", "");
  out.push("/** Row schema of every file that returns rows. */", "export const SQL_ROWS = {");
  for (const f of files.filter((f) => f.rows.length > 0)) {
    out.push(`  ${q(f.key)}: z.object({`);
    for (const r of f.rows) out.push(`    ${q(r.name)}: ${zodOf(r)},`);
    out.push("  }),");
  }
  out.push("};", "", "export type SqlRowFile = keyof typeof SQL_ROWS;");
  out.push("export type SqlRows = { [K in SqlRowFile]: z.infer<(typeof SQL_ROWS)[K]> };", "");
  out.push("/** Parameters of every file, in $1..$n order. */", "export interface SqlParams {");
  for (const f of files)
    out.push(`  ${q(f.key)}: [${f.params.map((p) => `${p.name.replace(/\W/g, "_")}: ${tsParam(p)}`).join(", ")}];`);
  out.push("}", "");
  let text = out.join("\n");
  // Imports only when used (the file is linted like the rest of the tree).
  if (!text.includes("Prisma.Decimal |")) text = text.replace('import type { Prisma } from "./prisma/client";\n', "");
  if (!text.includes(": BinaryArray"))
    text = text.replace('import type { BinaryArray } from "../platform/db/binary-array";\n', "");
  if (!text.includes(": sqlDecimal"))
    text = text.replace('import { sqlDecimal } from "../platform/db/sql-types";\n', "");
  return text;
}

/** The module as committed: rendered, then laid out by prettier like the rest of the tree. */
export async function generateSqlModule(appDir: string): Promise<{ files: number; source: string }> {
  const files = await readSqlFiles(appDir);
  const source = await format(renderSqlModule(files), { parser: "typescript", printWidth: 120 });
  return { files: files.length, source };
}
