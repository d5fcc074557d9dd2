import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import {
  buildClientSchema,
  NoDeprecatedCustomRule,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type IntrospectionQuery,
} from "graphql";

export const ADMIN_SCHEMA_FILE = fileURLToPath(
  new URL("../../app/shopify/admin-2026-10.introspection.json.gz", import.meta.url),
);

let cached: GraphQLSchema | undefined;

/** The real Shopify Admin API 2026-10 schema, from its introspection result. */
export function adminSchema(): GraphQLSchema {
  if (!cached) {
    const json = JSON.parse(gunzipSync(readFileSync(ADMIN_SCHEMA_FILE)).toString("utf8")) as {
      data: IntrospectionQuery;
    };
    cached = buildClientSchema(json.data);
  }
  return cached;
}

/**
 * Validates a document against the 2026-10 schema with graphql's standard rules plus NoDeprecatedCustomRule: the
 * real API still answers deprecated fields, but the app must use none of them (they go away in a later version).
 */
export function validateAdminDocument(document: DocumentNode): readonly GraphQLError[] {
  return validate(adminSchema(), document, [...specifiedRules, NoDeprecatedCustomRule]);
}
