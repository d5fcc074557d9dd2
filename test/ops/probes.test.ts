import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../app/platform/db.server";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../app/platform/db/embedded-postgres.server";
import { applyMigrations } from "../../app/platform/db/migrate.server";
import { ROOT, startDemoStack, type DemoStack } from "../demo/stack";
import { parsePrometheus } from "../support/prometheus";
import { waitFor } from "../support/wait";
import { baseEnv, SHOPIFY_ENV } from "./processes";

// /healthz, /readyz, /healthz/worker and /metrics of a real web process, on a database of its own this file can stop.

const METRICS_TOKEN = "metrics-token-for-tests-0123456789";
let database: EmbeddedPostgres;
let stack: DemoStack;
let db: Db;

beforeAll(async () => {
  database = await startEmbeddedPostgres({ dataDir: "memory://" });
  await applyMigrations(database.url);
  db = createDb(database.url, 2);
  stack = await startDemoStack({
    databaseUrl: database.url,
    dataset: { customers: 10, orders: 20 },
    // The worker runs as its own process here (or not at all): the web process's readiness must not depend on it.
    env: { WORKER_MODE: "off", METRICS_TOKEN },
  });
}, 150_000);

afterAll(async () => {
  await db?.$disconnect();
  await stack?.stop();
  await database?.stop();
});

async function getJson(pathname: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${stack.appUrl}${pathname}`);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function startWorkerProcess(): { child: ChildProcess; output: () => string } {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(ROOT, "app/platform/server/worker-main.server.ts")],
    {
      cwd: ROOT,
      env: baseEnv({ ...SHOPIFY_ENV, DATABASE_URL: database.url, LOG_LEVEL: "info" }),
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
  return { child, output: () => output };
}

describe("health and readiness, served before Remix", () => {
  it("GIVEN the web process is up THEN /healthz answers 200 without a session", async () => {
    const { status, body } = await getJson("/healthz");
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "ok" });
    expect(body.pid).toBe(stack.app.pid);
  });

  it("GIVEN the database is up and migrated but no worker runs THEN /readyz is 200 and /healthz/worker is 503", async () => {
    const ready = await getJson("/readyz");
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: "ready", pendingMigrations: [], worker: { workers: [] } });
    const worker = await getJson("/healthz/worker");
    expect(worker.status).toBe(503);
    expect(worker.body).toMatchObject({ status: "unavailable", reason: "no worker heartbeat in the last 30 s" });
  });

  it("GIVEN npm run worker starts THEN /healthz/worker turns 200; WHEN it gets SIGTERM THEN it exits 0 and is gone again", async () => {
    const worker = startWorkerProcess();
    try {
      await waitFor("the worker to start", async () => worker.output().includes("WORKER READY"), 90_000);
      const alive = await waitFor("a worker heartbeat", async () => {
        const probe = await getJson("/healthz/worker");
        return probe.status === 200 ? probe.body : undefined;
      });
      expect(alive.workers).toEqual([
        expect.objectContaining({ pid: worker.child.pid, mode: "separate", alive: true }),
      ]);
      const ready = await getJson("/readyz");
      expect(ready.body.worker).toEqual({ workers: [expect.objectContaining({ pid: worker.child.pid })] });

      const exited = new Promise<number | null>((resolve) => worker.child.once("exit", (code) => resolve(code)));
      worker.child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(worker.output()).toContain("worker stopped");
      const after = await getJson("/healthz/worker");
      expect(after.status).toBe(503);
      expect((await getJson("/readyz")).status).toBe(200);
    } finally {
      if (worker.child.exitCode === null) worker.child.kill("SIGKILL");
    }
  }, 120_000);

  it("GIVEN a worker that stopped beating THEN it is listed as not alive and /readyz stays 200", async () => {
    const longAgo = new Date(Date.now() - 5 * 60_000);
    await db.workerHeartbeat.create({
      data: {
        id: "gone-host:4242",
        host: "gone-host",
        pid: 4242,
        mode: "separate",
        startedAt: longAgo,
        beatAt: longAgo,
      },
    });
    try {
      const ready = await getJson("/readyz");
      expect(ready.status).toBe(200);
      expect(ready.body.worker).toEqual({ workers: [expect.objectContaining({ id: "gone-host:4242", alive: false })] });
      expect((await getJson("/healthz/worker")).status).toBe(503);
    } finally {
      await db.workerHeartbeat.delete({ where: { id: "gone-host:4242" } });
    }
  });

  it("GIVEN a migration is not applied THEN /readyz answers 503 naming it", async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string; migration_name: string }>(
        `SELECT id, migration_name FROM "_prisma_migrations" ORDER BY migration_name DESC LIMIT 1`,
      );
      const newest = rows[0];
      if (!newest) throw new Error("no migrations recorded");
      await client.query(`UPDATE "_prisma_migrations" SET finished_at = NULL WHERE id = $1`, [newest.id]);
      try {
        const { status, body } = await getJson("/readyz");
        expect(status).toBe(503);
        expect(body).toMatchObject({
          status: "unavailable",
          reason: `1 migration(s) not applied: ${newest.migration_name}`,
          pendingMigrations: [newest.migration_name],
        });
      } finally {
        await client.query(`UPDATE "_prisma_migrations" SET finished_at = now() WHERE id = $1`, [newest.id]);
      }
      expect((await getJson("/readyz")).status).toBe(200);
    } finally {
      await client.end();
    }
  });
});

describe("/metrics", () => {
  it("GIVEN no or a wrong bearer token THEN 401", async () => {
    expect((await fetch(`${stack.appUrl}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${stack.appUrl}/metrics`, {
      headers: { Authorization: "Bearer not-the-token-at-all!!" },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toBe("Bearer");
  });

  it("GIVEN backlog and failed bulk operations in the database THEN a scrape reports them in Prometheus text format", async () => {
    const shop = "metrics-shop.myshopify.com";
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await db.pendingRescore.createMany({
      data: [
        { shop, customerId: 1n, createdAt: twoMinutesAgo },
        { shop, customerId: 2n },
      ],
    });
    await db.syncRun.createMany({
      data: [
        { shop, kind: "backfill", status: "failed", errorCode: "ACCESS_DENIED" },
        { shop, kind: "backfill", status: "failed", errorCode: "ACCESS_DENIED" },
        { shop, kind: "reconcile", status: "failed" },
        { shop, kind: "reconcile", status: "completed" },
      ],
    });
    const response = await fetch(`${stack.appUrl}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const metrics = parsePrometheus(await response.text());
    const value = (name: string, labels: Record<string, string>) =>
      metrics.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
        ?.value;

    expect(metrics.types).toMatchObject({
      rfm_webhook_backlog_items: "gauge",
      rfm_webhook_backlog_oldest_seconds: "gauge",
      rfm_dead_letter_jobs: "gauge",
      rfm_admin_api_throttle_waits_total: "counter",
      rfm_admin_api_throttle_wait_seconds_total: "counter",
      rfm_bulk_operation_failures: "gauge",
      rfm_workers_alive: "gauge",
    });
    expect(value("rfm_webhook_backlog_items", { shop, source: "pending_rescore" })).toBe(2);
    expect(value("rfm_webhook_backlog_oldest_seconds", { shop, source: "pending_rescore" })).toBeGreaterThanOrEqual(
      119,
    );
    expect(value("rfm_bulk_operation_failures", { kind: "backfill", error_code: "ACCESS_DENIED" })).toBe(2);
    expect(value("rfm_bulk_operation_failures", { kind: "reconcile", error_code: "none" })).toBe(1);
    // Every queue the app runs is reported (nothing failed yet).
    expect(metrics.samples.filter((s) => s.name === "rfm_dead_letter_jobs").map((s) => s.labels.queue)).toEqual(
      expect.arrayContaining(["rfm.rescore", "rfm.write-back"]),
    );
    expect(value("rfm_workers_alive", {})).toBe(0);
  });
});

describe("the database going away", () => {
  it("GIVEN the database is stopped THEN /readyz answers 503 with the reason while /healthz stays 200", async () => {
    await database.stop();
    const ready = await getJson("/readyz");
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: "unavailable" });
    expect(String(ready.body.reason)).toMatch(/^database unreachable: .*ECONNREFUSED/);
    expect((await getJson("/healthz")).status).toBe(200);
    expect((await getJson("/healthz/worker")).status).toBe(503);
    const metrics = await fetch(`${stack.appUrl}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(metrics.status).toBe(503);
  }, 60_000);
});
