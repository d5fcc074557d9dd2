import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "graphql";
import { afterAll, describe, expect, it } from "vitest";
import { validateAdminDocument } from "../emulator/admin-schema";
import { ROOT } from "../demo/stack";
import { aliasedDocument } from "../../app/shopify/aliased-batch.server";
import {
  JOURNEY_SELECTION,
  ORDER_JOURNEYS,
  ordersBulkQuery,
  ordersCountsDocument,
  processedAtSearch,
} from "../../app/shopify/operations/orders";
import { customersBulkQuery } from "../../app/shopify/operations/customers";
import { TAGS_ADD_CALL, TAGS_REMOVE_CALL } from "../../app/shopify/operations/tags";
import { METAFIELDS_SET_CALL } from "../../app/shopify/operations/metafields";
import { FLOW_TRIGGER_RECEIVE_CALL } from "../../app/shopify/operations/flow";
import { GENERATED_DIR, runGraphqlCodegen } from "../../app/shopify/codegen";

const OPERATIONS = path.join(ROOT, "app/shopify/operations");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === "generated" || name === "node_modules") return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

/** Every `#graphql` document in app/shopify/operations/ (documents are written whole: no interpolation). */
function documents(): { file: string; text: string }[] {
  return sourceFiles(OPERATIONS).flatMap((file) => {
    const source = readFileSync(file, "utf8");
    return [...source.matchAll(/`(#graphql[^`]*)`/g)].map((m) => ({
      file: path.relative(ROOT, file),
      text: m[1] ?? "",
    }));
  });
}

/** What the templates render to, for every shape the app sends. */
function renderedTemplates(): [string, string][] {
  const tags = aliasedDocument(
    "AppTagsWriteBack",
    [],
    [0, 1].map((i) => ({
      variables: [
        [`id${i}`, "ID!", "gid://shopify/Customer/1"],
        [`rm${i}`, "[String!]!", ["rfm-a"]],
        [`add${i}`, "[String!]!", ["rfm-b"]],
      ],
      calls: [
        { alias: `r${i}`, field: TAGS_REMOVE_CALL(`$id${i}`, `$rm${i}`) },
        { alias: `a${i}`, field: TAGS_ADD_CALL(`$id${i}`, `$add${i}`) },
      ],
    })),
  );
  const metafields = aliasedDocument(
    "RfmMetafieldsSet",
    [],
    [0, 1].map((k) => ({
      variables: [[`m${k}`, METAFIELDS_SET_CALL.variableType, []]],
      calls: [{ alias: `s${k}`, field: METAFIELDS_SET_CALL.field(`$m${k}`) }],
    })),
  );
  const flow = aliasedDocument(
    "AppFlowTriggers",
    [["handle", "String!", "rfm-segment-changed"]],
    [0, 1].map((i) => ({
      variables: [[`p${i}`, "JSON!", {}]],
      calls: [{ alias: `t${i}`, field: FLOW_TRIGGER_RECEIVE_CALL("$handle", `$p${i}`) }],
    })),
  );
  return [
    ["ordersBulkQuery(null)", ordersBulkQuery(null)],
    ["ordersBulkQuery(search)", ordersBulkQuery("updated_at:>='2026-01-01T00:00:00.000Z'")],
    [
      "ordersBulkQuery(processed_at range)",
      ordersBulkQuery(processedAtSearch(new Date("2024-01-01T00:00:00Z"), new Date("2025-01-01T00:00:00Z"))),
    ],
    ["ordersCountsDocument", ordersCountsDocument(["processed_at:<'2024-01-01T00:00:00.000Z'", ""]).document],
    ["customersBulkQuery(null)", customersBulkQuery(null)],
    ["customersBulkQuery(search)", customersBulkQuery("updated_at:>='2026-01-01T00:00:00.000Z'")],
    ["tags batch", tags.document],
    ["metafields batch", metafields.document],
    ["Flow batch", flow.document],
  ];
}

const errorsOf = (text: string) => validateAdminDocument(parse(text)).map((e) => e.message);

describe("GraphQL documents", () => {
  const docs = documents();

  it("finds the app's documents", () => {
    expect(docs.length).toBeGreaterThanOrEqual(20);
  });

  it.each(docs.map((d) => [d.file, d.text] as const))(
    "%s is valid against the Admin API 2026-10 schema",
    (_file, text) => {
      expect(text).not.toContain("${");
      expect(errorsOf(text)).toEqual([]);
    },
  );

  it("GIVEN the journey fields WHEN the export and orders.journeys ask for them THEN both ask for the same selection", () => {
    const squeeze = (text: string) => text.replace(/\s+/g, " ").trim();
    const summary = /customerJourneySummary (\{.*\}) \} \} \}$/.exec(squeeze(ORDER_JOURNEYS))?.[1];
    expect(summary).toBe(squeeze(JOURNEY_SELECTION));
    expect(squeeze(ordersBulkQuery(null))).toContain(`customerJourneySummary ${squeeze(JOURNEY_SELECTION)}`);
  });

  it.each(renderedTemplates())("the rendered %s is valid against the Admin API 2026-10 schema", (_name, text) => {
    expect(errorsOf(text)).toEqual([]);
  });

  it("no document lives outside app/shopify/operations/, and nothing outside app/shopify/ calls the Admin API", () => {
    const outside = sourceFiles(path.join(ROOT, "app")).filter((f) => !f.startsWith(OPERATIONS));
    const offenders = outside.flatMap((file) => {
      const source = readFileSync(file, "utf8");
      const rel = path.relative(ROOT, file);
      const found: string[] = [];
      if (/`#graphql|\bgql`|`\s*(mutation|query)\s+[A-Z]\w*\s*[({]/.test(source)) found.push(`${rel}: a document`);
      if (!rel.startsWith("app/shopify/") && /\.request(Rendered)?\s*[<(]/.test(source))
        found.push(`${rel}: an Admin API call`);
      return found;
    });
    expect(offenders).toEqual([]);
  });
});

describe("generated GraphQL types (app/generated/graphql)", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "rfm-codegen-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("are what npm run graphql:codegen makes of today's documents", { timeout: 120_000 }, async () => {
    const files = await runGraphqlCodegen(dir);
    expect(files.map((f) => path.basename(f)).sort()).toEqual(["admin.generated.ts", "admin.types.ts"]);
    for (const name of ["admin.generated.ts", "admin.types.ts"]) {
      const fresh = readFileSync(path.join(dir, name), "utf8");
      const committed = readFileSync(path.join(GENERATED_DIR, name), "utf8");
      expect(fresh === committed, `${name} is stale: run npm run graphql:codegen`).toBe(true);
    }
  });
});
