import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import { createDb } from "../../app/platform/db.server";
import { waitFor } from "../support/wait";
import {
  customerIdBase,
  expectAppliedOnceInOrder,
  expectShopSettled,
  fillInbox,
  interleave,
  pendingEvents,
  prepareShop,
  seedHistory,
} from "../support/inbox-harness";
import {
  startReadyWorker,
  startWorkerProcess,
  stopAllWorkers,
  type ApplierPausePoint,
  type WorkerProcess,
} from "../support/worker-process";
import { orderPayload } from "../emulator/shapes";
import type { GeneratedOrder } from "../emulator/generator";

/**
 * Nothing lost, nothing twice, with real `npm run worker` processes draining the webhook inbox: killed with -9 in
 * the middle of a batch, three at once, and one shop's backlog never holding back another shop's event.
 * Several processes on one database need a server: PostgreSQL only (PGlite serves one connection at a time).
 */

const isPostgres = inject("databaseKind") === "postgresql";
const databaseUrl = process.env.DATABASE_URL as string;
const db = createDb(databaseUrl, 2);
const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });

afterAll(async () => {
  await stopAllWorkers();
  await db.$disconnect();
  await pool.end();
});

/** Waits until these shops have no pending event; fails early with its output when a worker dies. */
async function drained(shops: string[], workers: WorkerProcess[], timeoutMs = 60_000): Promise<void> {
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

describe.skipIf(!isPostgres)("inbox workers (PostgreSQL: several processes on one database)", () => {
  beforeAll(async () => {
    const { rows } = await pool.query<{ version: string }>("SELECT version()");
    expect(rows[0]?.version).toMatch(/^PostgreSQL /);
  });

  describe("GIVEN a worker killed with -9 in the middle of a batch", () => {
    const points: ApplierPausePoint[] = ["claimed", "aggregated", "before-commit"];
    it.each(points.map((point, i) => ({ point, i })))(
      "WHEN it dies at $point and a new worker drains THEN every event is applied exactly once and the result is exact",
      async ({ point, i }) => {
        const shop = `kill-${point}.myshopify.com`;
        const scenario = await prepareShop(db, shop, { seed: 11 + i, customers: 120, orders: 300, liveOrders: 700 }, i);
        expect(await fillInbox(pool, scenario.deliveries)).toBe(scenario.events);

        const doomed = startWorkerProcess({ databaseUrl, pauseAt: point });
        await doomed.waitForLine(`APPLIER PAUSED AT ${point}`, 60_000);
        await doomed.kill();
        // Its batch died with it: nothing of it committed.
        const left = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "InboxBatch" WHERE worker = $1`, [
          doomed.identity,
        ]);
        expect(left.rows[0]?.n).toBe(0);
        expect(await pendingEvents(pool, [shop])).toBe(scenario.events);

        const worker = await startReadyWorker({ databaseUrl });
        await drained([shop], [worker]);
        expect(await worker.stop()).toBe(0);

        await expectAppliedOnceInOrder(pool, scenario);
        await expectShopSettled(db, pool, scenario);
      },
      90_000,
    );
  });

  it("GIVEN four shops' streams (one big) WHEN three worker processes drain at once THEN each applied batches, none twice or out of order, and the aggregates are exact", async () => {
    const sizes = [
      { seed: 21, customers: 80, orders: 200, liveOrders: 200 },
      { seed: 22, customers: 80, orders: 200, liveOrders: 200 },
      { seed: 23, customers: 80, orders: 200, liveOrders: 200 },
      { seed: 24, customers: 300, orders: 800, liveOrders: 2_000 },
    ];
    const scenarios = await Promise.all(
      sizes.map((size, i) => prepareShop(db, `three-${i}.myshopify.com`, size, 10 + i)),
    );
    const shops = scenarios.map((s) => s.shop);
    // All three ready before the first event arrives, so none drains the inbox alone while the others start.
    const workers = await Promise.all([1, 2, 3].map(() => startReadyWorker({ databaseUrl })));
    const stored = await fillInbox(
      pool,
      interleave(
        scenarios.map((s) => s.deliveries),
        5,
      ),
    );
    expect(stored).toBe(scenarios.reduce((n, s) => n + s.events, 0));
    await drained(shops, workers);
    const codes = await Promise.all(workers.map((w) => w.stop()));
    expect(codes).toEqual([0, 0, 0]);

    const batches = (await Promise.all(scenarios.map((s) => expectAppliedOnceInOrder(pool, s)))).flat();
    const byWorker = new Map(workers.map((w) => [w.identity, batches.filter((b) => b.worker === w.identity).length]));
    expect(
      [...byWorker.values()].every((n) => n > 0),
      `batches per worker: ${JSON.stringify([...byWorker])}`,
    ).toBe(true);
    expect(batches.every((b) => byWorker.has(b.worker))).toBe(true);
    for (const scenario of scenarios) await expectShopSettled(db, pool, scenario);
  }, 120_000);

  it("GIVEN a shop draining a backlog of 10 000 events WHEN another shop's single event arrives THEN the next batch the worker claims is that shop's", async () => {
    const [busy, quiet] = ["backlog.myshopify.com", "quiet.myshopify.com"];
    const busyHistory = await seedHistory(db, busy, { seed: 31, customers: 100, orders: 200 }, 20);
    const quietHistory = await seedHistory(db, quiet, { seed: 32, customers: 40, orders: 80 }, 21);
    // 10 000 orders/create of the busy shop in one statement: one real payload, the order id counting up.
    const template = [...busyHistory.orders()].find(
      (o) => o.customerId !== null && o.refunds.length === 0 && !o.cancelledAt && !o.test,
    );
    if (!template) throw new Error("no order to copy");
    await pool.query(
      `INSERT INTO "WebhookInbox" (shop, "webhookId", topic, "eventId", headers, body, "customerId", "orderId")
       SELECT $1, 'backlog-' || g, 'orders/create', 'backlog-event-' || g,
              jsonb_build_object('x-shopify-topic', 'orders/create', 'x-shopify-shop-domain', $1::text),
              jsonb_set(jsonb_set($2::jsonb, '{id}', to_jsonb($3::bigint + g)),
                        '{customer,id}', to_jsonb($4::bigint + g % 90))::text,
              $4::bigint + g % 90, $3::bigint + g
       FROM generate_series(1, 10000) g`,
      [busy, JSON.stringify(orderPayload(template)), "900000000000000", String(customerIdBase(20))],
    );

    const worker = await startReadyWorker({ databaseUrl });
    const batchesOf = async (shop: string) =>
      (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "InboxBatch" WHERE shop = $1`, [shop])).rows[0]
        ?.n ?? 0;
    await waitFor("the backlog's first batch", async () => (await batchesOf(busy)) > 0, 30_000, 20);
    const servedBefore = await batchesOf(busy);
    const order = [...quietHistory.orders()].find((o) => o.customerId !== null) as GeneratedOrder;
    const event = { ...order, id: order.id + 1, updatedAt: new Date() };
    await fillInbox(pool, [
      {
        shop: quiet,
        topic: "orders/create",
        webhookId: "quiet-1",
        eventId: "quiet-event-1",
        payload: orderPayload(event),
      },
    ]);
    await drained([quiet], [worker], 30_000);
    await worker.stop();

    const batches = (
      await pool.query<{ shop: string; events: number }>(
        `SELECT shop, events FROM "InboxBatch" WHERE shop = ANY($1) ORDER BY id`,
        [[busy, quiet]],
      )
    ).rows;
    const quietAt = batches.findIndex((b) => b.shop === quiet);
    // At most the batch running when the event arrived (and one claimed in the same instant) came before it.
    expect(quietAt, JSON.stringify(batches)).toBeGreaterThan(-1);
    expect(quietAt - servedBefore, JSON.stringify(batches)).toBeLessThanOrEqual(2);
    // The backlog was still there when it came first: fairness put it there, not an empty queue.
    const busyBefore = batches.slice(0, quietAt).reduce((n, b) => n + b.events, 0);
    expect(busyBefore).toBeLessThan(10_000);
  }, 60_000);
});
