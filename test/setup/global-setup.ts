import type { TestProject } from "vitest/node";
import { createTestDatabases } from "./databases";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrls: string[];
    databaseKind: "postgresql" | "pglite";
  }
}

export default async function setup(project: TestProject) {
  const databases = await createTestDatabases();
  project.provide("databaseUrls", databases.urls);
  project.provide("databaseKind", databases.kind);
  process.stdout.write(`test databases: ${databases.kind} × ${databases.urls.length}\n`);
  return async () => {
    await databases.stop();
  };
}
