import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../app/platform/db.server";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../app/platform/db/embedded-postgres.server";
import { applyMigrations } from "../../app/platform/db/migrate.server";
import { ROOT } from "../demo/stack";
import { waitFor } from "../support/wait";
import { baseEnv, SHOPIFY_ENV } from "./processes";

// The prune as it runs in production: `npm run worker` schedules inbox.prune every 10 minutes and its handler deletes
// the applied rows past WEBHOOK_INBOX_RETENTION_HOURS. A database of its own: the worker's applier must not serve
// other files' shops.

const SHOP = "prune-job.myshopify.com";
let database: EmbeddedPostgres;
let db: Db;
let worker: ChildProcess | undefined;
let output = "";

beforeAll(async () => {
  database = await startEmbeddedPostgres({ dataDir: "memory://" });
  await applyMigrations(database.url);
  db = createDb(database.url, 2);
}, 120_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    worker.kill("SIGTERM");
    await new Promise((resolve) => worker?.once("exit", resolve));
  }
  await db?.$disconnect();
  await database?.stop();
});

describe("the inbox prune job", () => {
  it("GIVEN npm run worker WHEN inbox.prune runs THEN applied rows older than the retention are gone, newer and pending ones stay, and the job is scheduled every 10 minutes", async () => {
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    const event = (i: number, receivedAt: Date, applied: boolean) => ({
      shop: SHOP,
      webhookId: `prune-job-${i}`,
      topic: "orders/updated",
      headers: {},
      body: "{}",
      receivedAt,
      // A dead letter stands for "not applied": the worker's applier leaves it alone.
      ...(applied ? { appliedAt: receivedAt } : { deadAt: receivedAt, attempts: 3, lastError: "boom" }),
    });
    await db.webhookInbox.createMany({
      data: [
        event(1, hoursAgo(9), true),
        event(2, hoursAgo(8), true),
        event(3, hoursAgo(8), false),
        event(4, hoursAgo(1), true),
      ],
    });

    worker = spawn(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "app/platform/server/worker-main.server.ts")],
      {
        cwd: ROOT,
        env: baseEnv({
          ...SHOPIFY_ENV,
          DATABASE_URL: database.url,
          LOG_LEVEL: "info",
          WEBHOOK_INBOX_RETENTION_HOURS: "7",
        }),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    worker.stdout?.on("data", (c: Buffer) => (output += c.toString()));
    worker.stderr?.on("data", (c: Buffer) => (output += c.toString()));
    await waitFor("worker started", async () => output.includes('"msg":"worker started"'), 90_000);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const schedules = await client.query<{ name: string; cron: string }>(`SELECT name, cron FROM pgboss.schedule`);
    await client.end();
    expect(schedules.rows).toEqual(expect.arrayContaining([{ name: "inbox.prune", cron: "*/10 * * * *" }]));

    // What the cron sends every 10 minutes, sent now.
    const boss = new PgBoss({
      connectionString: database.url,
      schema: "pgboss",
      supervise: false,
      schedule: false,
      migrate: false,
    });
    await boss.start();
    await boss.send("inbox.prune", {});
    await boss.stop({ graceful: false });

    await waitFor(
      "old applied rows pruned",
      async () => (await db.webhookInbox.count({ where: { shop: SHOP } })) === 2,
      60_000,
    );
    const left = await db.webhookInbox.findMany({
      where: { shop: SHOP },
      orderBy: { seq: "asc" },
      select: { webhookId: true },
    });
    expect(left.map((r) => r.webhookId)).toEqual(["prune-job-3", "prune-job-4"]);
    expect(output).toContain('"msg":"webhook inbox pruned"');
  }, 180_000);
});
