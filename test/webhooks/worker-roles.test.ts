import { beforeAll, describe, expect, it } from "vitest";
import { runFullScoring } from "../../app/pipeline/score/scoring.server";
import {
  expectAppliedOnceInOrder,
  expectShopSettled,
  fillInbox,
  pendingEvents,
  prepareShop,
} from "../support/inbox-harness";
import { inboxDrained, startReadyWorker, workerTestDatabase } from "../support/worker-process";
import { waitFor } from "../support/wait";

/**
 * WORKER_ROLE with real `npm run worker` processes: `inbox` only applies webhook inbox batches, `jobs` only runs the
 * pg-boss jobs (re-scores, write-backs, backfills), so bulk work never sits in the live path's way.
 * Two processes on one database need a server: PostgreSQL only.
 */

const { isPostgres, databaseUrl, db, pool } = workerTestDatabase();

const APPLIER = { INBOX_APPLIER_BATCH_SIZE: "100", INBOX_APPLIER_CONCURRENCY: "1" };
/** Longer than pg-boss's polling interval (2 s): a process that would take the job has had its chance. */
const AFTER_A_POLL_MS = 4_000;

async function rescoreJobStates(shop: string): Promise<string[]> {
  const { rows } = await pool.query<{ state: string }>(
    `SELECT state FROM pgboss.job WHERE name = 'rfm.rescore' AND data->>'shop' = $1 ORDER BY created_on`,
    [shop],
  );
  return rows.map((r) => r.state);
}

async function batchesBy(worker: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "InboxBatch" WHERE worker = $1`, [
    worker,
  ]);
  return rows[0]?.n ?? 0;
}

describe.skipIf(!isPostgres)("worker roles — PostgreSQL only: inbox and jobs in separate processes", () => {
  beforeAll(async () => {
    const { rows } = await pool.query<{ version: string }>("SELECT version()");
    expect(rows[0]?.version).toMatch(/^PostgreSQL /);
  });

  it("GIVEN a WORKER_ROLE=inbox process WHEN a shop's events arrive THEN it applies them and queues the re-score without running it; GIVEN a WORKER_ROLE=jobs process THEN it runs the re-score and never applies an inbox event", async () => {
    const first = await prepareShop(
      db,
      "roles-live.myshopify.com",
      { seed: 41, customers: 60, orders: 150, liveOrders: 200 },
      21,
    );
    // A scored shop: a re-score scores changed customers against its last full run.
    await runFullScoring(db, first.shop);
    const inbox = await startReadyWorker({ databaseUrl, env: { ...APPLIER, WORKER_ROLE: "inbox" } });
    expect(await fillInbox(pool, first.deliveries)).toBe(first.events);
    await inboxDrained(pool, [first.shop], [inbox]);
    const batches = await expectAppliedOnceInOrder(pool, first);
    expect(batches.every((b) => b.worker === inbox.identity)).toBe(true);
    await expectShopSettled(db, pool, first);

    // The applier sent the shop's re-score; with no jobs process it stays queued.
    await new Promise((r) => setTimeout(r, AFTER_A_POLL_MS));
    expect(await rescoreJobStates(first.shop)).toEqual(["created"]);
    const waiting = await db.pendingRescore.count({ where: { shop: first.shop } });
    expect(waiting).toBeGreaterThan(0);
    const scoresBefore = await db.customerScore.findMany({
      where: { shop: first.shop },
      orderBy: { customerId: "asc" },
    });
    expect(await inbox.stop()).toBe(0);

    // A jobs process alone: it runs the queued re-score, and a second shop's events stay in the inbox.
    const second = await prepareShop(
      db,
      "roles-waiting.myshopify.com",
      { seed: 42, customers: 40, orders: 100, liveOrders: 100 },
      22,
    );
    const jobs = await startReadyWorker({ databaseUrl, env: { ...APPLIER, WORKER_ROLE: "jobs" } });
    expect(await fillInbox(pool, second.deliveries)).toBe(second.events);
    await waitFor(
      "the jobs process to run the re-score",
      async () => {
        const states = await rescoreJobStates(first.shop);
        if (states.includes("failed")) throw new Error(`the re-score failed:\n${jobs.output()}`);
        return states.length > 0 && states.every((s) => s === "completed");
      },
      60_000,
      100,
    );
    expect(await db.pendingRescore.count({ where: { shop: first.shop } })).toBe(0);
    const scoresAfter = await db.customerScore.findMany({
      where: { shop: first.shop },
      orderBy: { customerId: "asc" },
    });
    expect(scoresAfter).not.toEqual(scoresBefore);
    await new Promise((r) => setTimeout(r, AFTER_A_POLL_MS));
    expect(await pendingEvents(pool, [second.shop])).toBe(second.events);
    expect(await batchesBy(jobs.identity)).toBe(0);
    expect(await jobs.stop()).toBe(0);
  }, 180_000);
});
