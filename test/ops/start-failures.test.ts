import { spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, ROOT } from "../demo/stack";
import { waitFor } from "../support/wait";
import { baseEnv, pgliteServerRunning, pinoLines, runEntryPoint, SHOPIFY_ENV } from "./processes";

// `npm start` and `npm run worker` started for real; a start that fails says why in one line, exits non-zero, and
// leaves no process behind (the embedded database is a child of the web process).

let blocker: Server;
let takenPort: number;

beforeAll(async () => {
  takenPort = await freePort();
  blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(takenPort, "127.0.0.1", () => resolve()));
});

afterAll(async () => {
  await new Promise<void>((resolve) => blocker.close(() => resolve()));
});

function embeddedPids(logs: Record<string, unknown>[]): number[] {
  return logs
    .filter((l) => l.msg === "embedded PostgreSQL (PGlite) started")
    .map((l) => Number(l.pid))
    .filter((pid) => pid > 0);
}

describe("a start that fails", () => {
  it("GIVEN npm start without the Shopify variables THEN it exits 1 naming each, before starting or migrating anything", async () => {
    const run = await runEntryPoint(
      "main.server.ts",
      baseEnv({ NODE_ENV: "production", PGLITE_DATA_DIR: "memory://", LOG_LEVEL: "info", PORT: "70000" }),
    );
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toEqual([
      "Invalid environment: SHOPIFY_API_KEY is required; SHOPIFY_API_SECRET is required; SHOPIFY_APP_URL is required; SCOPES is required; PORT: Too big: expected number to be <=65535",
    ]);
    // Nothing started: no embedded database, no migrations.
    expect(embeddedPids(run.logs)).toEqual([]);
    expect(run.logs.filter((l) => l.msg === "migrations applied")).toEqual([]);
  });

  it("GIVEN npm run worker with a bad environment THEN it exits 1 naming each variable", async () => {
    const run = await runEntryPoint(
      "worker-main.server.ts",
      baseEnv({
        ...SHOPIFY_ENV,
        SCOPES: undefined,
        DATABASE_URL: "postgresql://127.0.0.1:1/x",
        WORKER_CONCURRENCY: "0",
      }),
    );
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      "Invalid environment: SCOPES is required; WORKER_CONCURRENCY: Too small: expected number to be >=1",
    );
  });

  it("GIVEN npm run worker without DATABASE_URL THEN it exits 1 saying the worker needs one", async () => {
    const run = await runEntryPoint("worker-main.server.ts", baseEnv(SHOPIFY_ENV));
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(/^Invalid environment: DATABASE_URL is required for a separate worker/);
  });

  it("GIVEN the port is in use THEN npm start exits non-zero and the embedded database it started is gone", async () => {
    const run = await runEntryPoint(
      "main.server.ts",
      baseEnv({
        ...SHOPIFY_ENV,
        NODE_ENV: "development",
        PGLITE_DATA_DIR: "memory://",
        HOST: "127.0.0.1",
        PORT: String(takenPort),
        LOG_LEVEL: "info",
      }),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/EADDRINUSE/);
    const pids = embeddedPids(run.logs);
    expect(pids).toHaveLength(1);
    for (const pid of pids) expect(pgliteServerRunning(pid)).toBe(false);
  }, 120_000);

  it("GIVEN the database is unreachable THEN npm start and npm run worker exit non-zero saying so", async () => {
    const unreachable = `postgresql://postgres@127.0.0.1:${await freePort()}/postgres`;
    for (const script of ["main.server.ts", "worker-main.server.ts"]) {
      const run = await runEntryPoint(
        script,
        baseEnv({ ...SHOPIFY_ENV, DATABASE_URL: unreachable, NODE_ENV: "development" }),
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/failed to start: .*ECONNREFUSED/);
      expect(embeddedPids(run.logs)).toEqual([]);
    }
  });

  it("GIVEN a started web process WHEN it is killed outright (SIGKILL) THEN its embedded database goes with it", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "app/platform/server/main.server.ts")], {
      cwd: ROOT,
      env: baseEnv({
        ...SHOPIFY_ENV,
        PGLITE_DATA_DIR: "memory://",
        HOST: "127.0.0.1",
        PORT: String(await freePort()),
        WORKER_MODE: "off",
        LOG_LEVEL: "info",
      }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
    try {
      await waitFor("the web process to start", async () => output.includes("READY "), 90_000);
      const [pid] = embeddedPids(pinoLines(output));
      if (!pid) throw new Error(`no embedded database logged:\n${output}`);
      expect(pgliteServerRunning(pid)).toBe(true);
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
      await waitFor("the embedded database to exit", async () => !pgliteServerRunning(pid), 15_000);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  }, 120_000);
});
