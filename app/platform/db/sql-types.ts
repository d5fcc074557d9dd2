import { z } from "zod";
import { Prisma } from "../../generated/prisma/client";

/**
 * The PostgreSQL types a .sql file may declare in its header, with what
 * Prisma's raw queries on @prisma/adapter-pg return for each (checked on
 * PGlite and PostgreSQL): int8 → bigint, numeric → Prisma.Decimal, date and
 * timestamptz → Date, jsonb → parsed JSON. `"char"` is left out on purpose:
 * the adapter cannot read it (cast to text).
 */
export const SQL_TYPES = {
  text: { oid: 25, arrayOid: 1009, ts: "string", zod: "z.string()" },
  int2: { oid: 21, arrayOid: 1005, ts: "number", zod: "z.number()" },
  int4: { oid: 23, arrayOid: 1007, ts: "number", zod: "z.number()" },
  int8: { oid: 20, arrayOid: 1016, ts: "bigint", zod: "z.bigint()" },
  float8: { oid: 701, arrayOid: 1022, ts: "number", zod: "z.number()" },
  numeric: { oid: 1700, arrayOid: 1231, ts: "Prisma.Decimal", zod: "sqlDecimal" },
  bool: { oid: 16, arrayOid: 1000, ts: "boolean", zod: "z.boolean()" },
  date: { oid: 1082, arrayOid: 1182, ts: "Date", zod: "z.date()" },
  timestamptz: { oid: 1184, arrayOid: 1185, ts: "Date", zod: "z.date()" },
  jsonb: { oid: 3802, arrayOid: 3807, ts: "unknown", zod: "z.unknown()" },
} as const;

export type SqlTypeName = keyof typeof SQL_TYPES;

/**
 * What a caller may pass for a parameter of each type: a little wider than
 * the row side, because the driver serialises numbers for int8/numeric, ISO
 * strings for dates, and JSON text for jsonb.
 */
export const SQL_PARAM_TS: Record<SqlTypeName, string> = {
  text: "string",
  int2: "number",
  int4: "number",
  int8: "bigint | number",
  float8: "number",
  numeric: "Prisma.Decimal | string | number",
  bool: "boolean",
  date: "Date | string",
  timestamptz: "Date",
  jsonb: "string",
};

export function isSqlType(name: string): name is SqlTypeName {
  return Object.hasOwn(SQL_TYPES, name);
}

/** A numeric column as the adapter returns it. */
export const sqlDecimal = z.custom<Prisma.Decimal>((v) => Prisma.Decimal.isDecimal(v), "expected a Decimal");
