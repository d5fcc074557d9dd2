import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { generate } from "@graphql-codegen/cli";
import type { Types } from "@graphql-codegen/plugin-helpers";
import { format, resolveConfig } from "prettier";
import { ApiType, pluckConfig, shopifyApiTypes } from "@shopify/api-codegen-preset";

/**
 * graphql-codegen for the Admin API documents in app/shopify/operations/
 * (`npm run graphql:codegen`): app/generated/graphql/admin.types.ts (the
 * schema's types) and admin.generated.ts (per document, keyed by its text, as
 * AdminQueries/AdminMutations for admin-client.server.ts). The schema is the
 * project's own 2026-10 introspection, unpacked to where the preset looks for
 * it first, so nothing is downloaded.
 */

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const API_VERSION = "2026-10";
export const GENERATED_DIR = path.join(ROOT, "app/generated/graphql");
const INTROSPECTION = path.join(ROOT, "app/shopify/admin-2026-10.introspection.json.gz");

/** Writes the generated files into `outputDir` (absolute); returns their paths. */
export async function runGraphqlCodegen(outputDir = GENERATED_DIR): Promise<string[]> {
  mkdirSync(outputDir, { recursive: true });
  const introspection = JSON.parse(gunzipSync(readFileSync(INTROSPECTION)).toString("utf8")) as {
    data?: unknown;
  };
  // The preset skips its download only when <outputDir>/admin-<version>.schema.json exists.
  writeFileSync(
    path.join(outputDir, `admin-${API_VERSION}.schema.json`),
    JSON.stringify(introspection.data ?? introspection),
  );
  const relative = path.relative(ROOT, outputDir) || ".";
  const results = await generate(
    {
      cwd: ROOT,
      overwrite: true,
      silent: true,
      // The preset's #graphql tag support: options graphql-tag-pluck takes but codegen's types do not list.
      pluckConfig: pluckConfig as Types.Config["pluckConfig"],
      generates: shopifyApiTypes({
        apiType: ApiType.Admin,
        apiVersion: API_VERSION,
        documents: ["app/shopify/operations/*.ts"],
        outputDir: relative,
        declarations: false,
        enumsAsConst: true,
        module: "../../shopify/admin-client.server",
      }),
    },
    false,
  );
  // Formatted like every other file, so `npm run lint` (prettier --check) passes on them as committed.
  const files: string[] = [];
  for (const { filename, content } of results as { filename: string; content: string }[]) {
    const file = path.resolve(ROOT, filename);
    const options = await resolveConfig(path.join(ROOT, "package.json"));
    // Generated: no lint (the preset's own header names rules of a plugin this project does not use).
    const body = content.replace(/^\/\* eslint-disable[^*]*\*\/\n/gm, "");
    writeFileSync(file, await format(`/* eslint-disable */\n${body}`, { ...options, filepath: file }));
    files.push(file);
  }
  return files;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = await runGraphqlCodegen(process.argv[2] ? path.resolve(process.argv[2]) : GENERATED_DIR);
  process.stdout.write(`${files.join("\n")}\n`);
}
