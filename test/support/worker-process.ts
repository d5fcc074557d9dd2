import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { TEST_APP } from "../setup/test-app";
import { pendingEvents } from "./inbox-harness";
import { waitFor } from "./wait";

/**
 * `npm run worker` as a real child process (node --import tsx worker-main), for tests that kill, start and race
 * workers. Every process started here is tracked, so a failed test still leaves none behind (stopAllWorkers).
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const started = new Set<WorkerProcess>();

export type ApplierPausePoint = "claimed" | "aggregated" | "before-commit";

export interface WorkerProcess {
  readonly pid: number;
  /** InboxBatch.worker of the batches this process commits. */
  readonly identity: string;
  /** Everything it wrote to stdout and stderr so far (for failure messages). */
  output(): string;
  /** Resolves once stdout carried the line; rejects when the process exits first or the time is up. */
  waitForLine(line: string, timeoutMs?: number): Promise<void>;
  exited(): boolean;
  /** SIGTERM and wait for the exit; SIGKILL when it takes longer than timeoutMs. Resolves to the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
  /** kill -9 and wait until it is gone. */
  kill(): Promise<void>;
}

export interface WorkerOptions {
  databaseUrl: string;
  pauseAt?: ApplierPausePoint;
  /** More of the worker's environment (INBOX_APPLIER_BATCH_SIZE, …). */
  env?: Record<string, string>;
}

export function startWorkerProcess(options: WorkerOptions): WorkerProcess {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? os.tmpdir(),
    NODE_ENV: "test",
    DATABASE_URL: options.databaseUrl,
    SHOPIFY_API_KEY: TEST_APP.apiKey,
    SHOPIFY_API_SECRET: TEST_APP.secret,
    SHOPIFY_APP_URL: "http://127.0.0.1:1",
    SCOPES: TEST_APP.scopes,
    LOG_LEVEL: process.env.WORKER_TEST_LOG_LEVEL ?? "warn",
    SHUTDOWN_TIMEOUT_SECONDS: "5",
    ...options.env,
    ...(options.pauseAt ? { RFM_TEST_APPLIER_PAUSE_AT: options.pauseAt } : {}),
  };
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", "app/platform/server/worker-main.server.ts"],
    {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error("the worker process did not start");
  let out = "";
  let stdoutLines: string[] = [];
  let partial = "";
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of [...waiters]) w();
  };
  child.stdout?.setEncoding("utf8");
  child.stderr?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    out += chunk;
    const lines = (partial + chunk).split("\n");
    partial = lines.pop() ?? "";
    stdoutLines = stdoutLines.concat(lines.map((l) => l.trim()));
    wake();
  });
  child.stderr?.on("data", (chunk: string) => {
    out += chunk;
  });
  let exitCode: number | null | undefined;
  const exit = new Promise<number | null>((resolve) => {
    child.on("exit", (code) => {
      exitCode = code;
      started.delete(worker);
      wake();
      resolve(code);
    });
  });

  const worker: WorkerProcess = {
    pid,
    identity: `${os.hostname()}:${pid}`,
    output: () => out,
    exited: () => exitCode !== undefined,
    waitForLine: (line, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (stdoutLines.includes(line)) done(() => resolve());
          else if (exitCode !== undefined)
            done(() => reject(new Error(`worker ${pid} exited (${exitCode}) before "${line}":\n${out}`)));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`worker ${pid}: no "${line}" within ${timeoutMs} ms:\n${out}`))),
          timeoutMs,
        );
        const done = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      }),
    stop: async (timeoutMs = 15_000) => {
      if (exitCode !== undefined) return exitCode;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      const code = await exit;
      clearTimeout(timer);
      return code;
    },
    kill: async () => {
      if (exitCode !== undefined) return;
      child.kill("SIGKILL");
      await exit;
    },
  };
  started.add(worker);
  return worker;
}

/** Starts a worker and waits for its "WORKER READY" line. */
export async function startReadyWorker(options: WorkerOptions): Promise<WorkerProcess> {
  const worker = startWorkerProcess(options);
  await worker.waitForLine("WORKER READY", 60_000);
  return worker;
}

/** afterAll: every worker this file started and that still runs is killed. */
export async function stopAllWorkers(): Promise<void> {
  await Promise.all([...started].map((w) => w.kill()));
}

/**
 * A worker-process test file's database: its URL, a Prisma client and a pg pool, closed after the file (and every
 * worker it started killed). Several processes on one database need a server, so such tests run on PostgreSQL only.
 */
export function workerTestDatabase() {
  const databaseUrl = process.env.DATABASE_URL as string;
  const db = createDb(databaseUrl, 2);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  afterAll(async () => {
    await stopAllWorkers();
    await db.$disconnect();
    await pool.end();
  });
  return { isPostgres: inject("databaseKind") === "postgresql", databaseUrl, db, pool };
}

/** Waits until these shops have no pending inbox event; fails early with its output when a worker dies. */
export async function inboxDrained(
  pool: pg.Pool,
  shops: string[],
  workers: WorkerProcess[],
  timeoutMs = 90_000,
): Promise<void> {
  await waitFor(
    `the inbox of ${shops.join(", ")} drained`,
    async () => {
      const dead = workers.find((w) => w.exited());
      if (dead) throw new Error(`worker ${dead.pid} exited:\n${dead.output()}`);
      return (await pendingEvents(pool, shops)) === 0;
    },
    timeoutMs,
    100,
  );
}
