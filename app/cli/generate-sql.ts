import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { generateSqlModule } from "../platform/db/sql-generator";
import { logger } from "../platform/logger.server";

/** Writes app/generated/sql.ts from every app/**\/*.sql (see app/platform/db/sql-generator.ts). */
const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { files, source } = await generateSqlModule(appDir);
await writeFile(path.join(appDir, "generated", "sql.ts"), source);
logger.info({ files }, "generated app/generated/sql.ts");
