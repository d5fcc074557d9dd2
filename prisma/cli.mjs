// Runs the Prisma CLI with this project's config. Where Prisma cannot download
// its schema engine (machines without internet), the WASM stand-in kept beside
// the project (../shared/tools/prisma-schema-engine) is used, unless
// PRISMA_SCHEMA_ENGINE_BINARY already names one. Elsewhere Prisma behaves as usual.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const env = { ...process.env };
const standIn = path.resolve(root, "../shared/tools/prisma-schema-engine");
if (!env.PRISMA_SCHEMA_ENGINE_BINARY && existsSync(standIn)) env.PRISMA_SCHEMA_ENGINE_BINARY = standIn;

const cli = createRequire(import.meta.url).resolve("prisma/build/index.js", { paths: [root] });
const result = spawnSync(
  process.execPath,
  [cli, ...process.argv.slice(2), "--config", path.join(root, "prisma/prisma.config.ts")],
  {
    cwd: root,
    env,
    stdio: "inherit",
  },
);
process.exit(result.status ?? 1);
