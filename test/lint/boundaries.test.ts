import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/**
 * The import boundaries in .ci/eslint.config.mjs, each held by a fixture that
 * breaks it (must fail) and one that keeps it (must pass).
 */

const eslint = new ESLint({ overrideConfigFile: ".ci/eslint.config.mjs" });

async function problems(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? "parse"}: ${m.message}`);
}

const boundaryRules = (messages: string[]) => messages.filter((m) => /no-restricted-(imports|syntax)|parse/.test(m));

const cases: { boundary: string; filePath: string; bad: string[]; good: string[] }[] = [
  {
    boundary: "app/domain imports only zod and other domain files",
    filePath: "app/domain/fixture.ts",
    bad: [
      `import { readFileSync } from "node:fs";\nexport const x = readFileSync;\n`,
      `import { db } from "../platform/db.server";\nexport const x = db;\n`,
      `import type { Db } from "../platform/db.server";\nexport type X = Db;\n`,
      `import { PgBoss } from "pg-boss";\nexport const x = PgBoss;\n`,
      `import { PRESETS } from "../i18n/rfm/presets";\nexport const x = PRESETS;\n`,
      `import { JOB } from "../pipeline/jobs.server";\nexport const x = JOB;\n`,
      `import { shopifyApp } from "@shopify/shopify-app-remix/server";\nexport const x = shopifyApp;\n`,
    ],
    good: [
      `import { z } from "zod";\nimport { parseMoney } from "./money";\nexport const x = [z, parseMoney];\n`,
      `import { epochDay } from "./rfm/dates";\nexport const x = epochDay;\n`,
    ],
  },
  {
    boundary: "app/domain/rfm imports only zod and other domain files",
    filePath: "app/domain/rfm/fixture.ts",
    bad: [
      `import { logger } from "../../platform/logger.server";\nexport const x = logger;\n`,
      `import { loadRfmSettings } from "../../settings/settings.server";\nexport const x = loadRfmSettings;\n`,
      `import { createHash } from "crypto";\nexport const x = createHash;\n`,
    ],
    good: [
      `import { z } from "zod";\nimport { parseMoney } from "../money";\nimport { epochDay } from "./dates";\nexport const x = [z, parseMoney, epochDay];\n`,
    ],
  },
  {
    boundary: "only app/shopify imports the Admin client",
    filePath: "app/pipeline/write-back/fixture.server.ts",
    bad: [
      `import { createAdminClient } from "../../shopify/admin-client.server";\nexport const x = createAdminClient;\n`,
      `import { GraphQLClient } from "graphql-request";\nexport const x = GraphQLClient;\n`,
    ],
    good: [
      `import type { AdminClient } from "../../shopify/admin-client.server";\nexport const run = (admin: AdminClient) => admin;\n`,
      `import { appTagsFor } from "../../domain/rfm/tags";\nexport const x = appTagsFor;\n`,
      // Getting a client to inject, and catching what the Admin API refused, are fine anywhere.
      `import { offlineAdmin } from "../../shopify/admin-clients.server";\nexport const x = offlineAdmin;\n`,
      `import { AdminUserErrors } from "../../shopify/admin-errors.server";\nexport const x = AdminUserErrors;\n`,
    ],
  },
  {
    boundary: "app/shopify itself may use the Admin client",
    filePath: "app/shopify/fixture.server.ts",
    bad: [],
    good: [`import { createAdminClient } from "./admin-client.server";\nexport const x = createAdminClient;\n`],
  },
  {
    boundary: "routes never query Prisma",
    filePath: "app/routes/app.fixture.tsx",
    bad: [
      `import { db } from "../platform/db.server";\nexport const loader = () => db().shop.findMany({});\n`,
      `export const loader = ({ db }: { db: { shop: { findMany: () => unknown } } }) => db.shop.findMany();\n`,
      `import { db } from "../platform/db.server";\nexport const loader = () => db().$queryRawUnsafe("SELECT 1");\n`,
      `import { db } from "../platform/db.server";\nexport const loader = () => db().$executeRaw\`SELECT 1\`;\n`,
      `import { db } from "../platform/db.server";\nexport const action = () => db().$transaction(async () => 1);\n`,
    ],
    good: [
      `import { db } from "../platform/db.server";\nimport { loadDashboard } from "../pages/dashboard/dashboard.server";\nexport const loader = () => loadDashboard(db(), "shop", null);\n`,
    ],
  },
];

describe("import boundaries", () => {
  for (const { boundary, filePath, bad, good } of cases) {
    for (const [i, code] of bad.entries())
      it(`GIVEN ${boundary} WHEN ${filePath} breaks it (fixture ${i + 1}) THEN lint fails`, async () => {
        expect(boundaryRules(await problems(code, filePath)).length).toBeGreaterThan(0);
      });
    for (const [i, code] of good.entries())
      it(`GIVEN ${boundary} WHEN ${filePath} keeps it (fixture ${i + 1}) THEN lint passes`, async () => {
        expect(await problems(code, filePath)).toEqual([]);
      });
  }
});
