import { beforeAll, describe, expect, it } from "vitest";
import {
  expectAppliedOnceInOrder,
  expectNothingApplied,
  expectShopSettled,
  fillInbox,
  interleave,
  pendingEvents,
  prepareShop,
} from "../support/inbox-harness";
import {
  inboxDrained,
  startReadyWorker,
  startWorkerProcess,
  workerTestDatabase,
  type ApplierPausePoint,
  type WorkerProcess,
} from "../support/worker-process";

/**
 * Nothing lost, nothing twice, with real `npm run worker` processes draining the webhook inbox: killed with -9 in
 * the middle of a batch, and three at once (fairness between shops: inbox-fairness.test.ts).
 * Several processes on one database need a server: PostgreSQL only (PGlite serves one connection at a time).
 */

const { isPostgres, databaseUrl, db, pool } = workerTestDatabase();
const drained = (shops: string[], workers: WorkerProcess[]) => inboxDrained(pool, shops, workers);

/**
 * Small batches, so every shop takes several (the order across batches and the sharing between workers show); one
 * drain loop per process, so "three processes" are three appliers.
 */
const APPLIER = { INBOX_APPLIER_BATCH_SIZE: "200", INBOX_APPLIER_CONCURRENCY: "1" };

/** The three healthy workers: they take over from the killed ones, then race each other over six shops. */
let healthy: Promise<WorkerProcess[]> | undefined;
function healthyWorkers(): Promise<WorkerProcess[]> {
  healthy ??= Promise.all([1, 2, 3].map(() => startReadyWorker({ databaseUrl, env: APPLIER })));
  return healthy;
}

describe.skipIf(!isPostgres)(
  "inbox workers — PostgreSQL only: several worker processes share one database server",
  () => {
    beforeAll(async () => {
      const { rows } = await pool.query<{ version: string }>("SELECT version()");
      expect(rows[0]?.version).toMatch(/^PostgreSQL /);
    });

    it("GIVEN three workers killed with -9 inside a batch (after the claim, after the aggregate write, before the commit) WHEN new workers drain THEN every event is applied exactly once and the result is exact", async () => {
      const points: ApplierPausePoint[] = ["claimed", "aggregated", "before-commit"];
      // One drain loop each: every doomed worker holds one shop's turn when it stops, so the three stop in three shops.
      // They start while the shops are seeded; each claims a shop once its events are in.
      const doomed = points.map((pauseAt) => startWorkerProcess({ databaseUrl, pauseAt, env: APPLIER }));
      const scenarios = await Promise.all(
        points.map((point, i) =>
          prepareShop(db, `kill-${i}.myshopify.com`, { seed: 11 + i, customers: 120, orders: 300, liveOrders: 700 }, i),
        ),
      );
      const shops = scenarios.map((s) => s.shop);
      for (const scenario of scenarios) expect(await fillInbox(pool, scenario.deliveries)).toBe(scenario.events);

      await Promise.all(doomed.map((w, i) => w.waitForLine(`APPLIER PAUSED AT ${points[i]}`, 90_000)));
      await Promise.all(doomed.map((w) => w.kill()));
      // Their batches died with them: nothing of them committed.
      const left = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "InboxBatch" WHERE worker = ANY($1)`,
        [doomed.map((w) => w.identity)],
      );
      expect(left.rows[0]?.n).toBe(0);
      expect(await pendingEvents(pool, shops)).toBe(scenarios.reduce((n, s) => n + s.events, 0));
      // The aggregate writes and re-score queued inside them are gone too: the pause points were inside the transaction.
      for (const scenario of scenarios) await expectNothingApplied(db, pool, scenario);

      const workers = await healthyWorkers();
      await drained(shops, workers);

      const identities = new Set(workers.map((w) => w.identity));
      for (const scenario of scenarios) {
        const batches = await expectAppliedOnceInOrder(pool, scenario);
        expect(batches.every((b) => identities.has(b.worker))).toBe(true);
        await expectShopSettled(db, pool, scenario);
      }
    }, 180_000);

    it("GIVEN six shops' streams (one big) WHEN three worker processes drain at once THEN each applied batches, none twice or out of order, and the aggregates are exact", async () => {
      // More shops than workers, each a few batches long: a worker that polls finds a shop no other one holds.
      const sizes = [
        ...[21, 22, 23, 24, 25].map((seed) => ({ seed, customers: 80, orders: 200, liveOrders: 250 })),
        { seed: 26, customers: 300, orders: 800, liveOrders: 2_000 },
      ];
      // All three ready before the first event arrives, so none drains the inbox alone while the others start.
      const [scenarios, workers] = await Promise.all([
        Promise.all(sizes.map((size, i) => prepareShop(db, `three-${i}.myshopify.com`, size, 10 + i))),
        healthyWorkers(),
      ]);
      const shops = scenarios.map((s) => s.shop);
      const stored = await fillInbox(
        pool,
        interleave(
          scenarios.map((s) => s.deliveries),
          5,
        ),
      );
      expect(stored).toBe(scenarios.reduce((n, s) => n + s.events, 0));
      await drained(shops, workers);
      // SIGTERM: each finishes its current batch and exits cleanly.
      expect(await Promise.all(workers.map((w) => w.stop()))).toEqual([0, 0, 0]);

      const batches = (await Promise.all(scenarios.map((s) => expectAppliedOnceInOrder(pool, s)))).flat();
      const byWorker = new Map(workers.map((w) => [w.identity, batches.filter((b) => b.worker === w.identity).length]));
      expect(
        [...byWorker.values()].every((n) => n > 0),
        `batches per worker: ${JSON.stringify([...byWorker])}`,
      ).toBe(true);
      expect(batches.every((b) => byWorker.has(b.worker))).toBe(true);
      for (const scenario of scenarios) await expectShopSettled(db, pool, scenario);
    }, 180_000);
  },
);
