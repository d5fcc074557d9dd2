import { afterAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createDb } from "../../app/platform/db.server";
import { applyNextBatch } from "../../app/pipeline/ingest/inbox/apply-batch.server";
import { batchDeps } from "../../app/pipeline/ingest/inbox/inbox-applier.server";
import { orderPayload } from "../emulator/shapes";
import type { GeneratedOrder } from "../emulator/generator";
import { customerIdBase, fillInbox, pendingEvents, seedHistory } from "../support/inbox-harness";

/**
 * Fairness as an ordering property: while one shop has 10 000 events queued, another shop's single event is in the
 * next batch any worker claims. The applier's own claim, in this process (the 2 s figure is the benchmark's).
 */

const databaseUrl = process.env.DATABASE_URL as string;
const db = createDb(databaseUrl, 2);
const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
const deps = batchDeps(db, null, { batchSize: 500 });

afterAll(async () => {
  await db.$disconnect();
  await pool.end();
});

const BUSY = "backlog.myshopify.com";
const QUIET = "quiet.myshopify.com";

/** The quiet shop's next new order, as orders/create delivers it. */
function quietOrder(base: GeneratedOrder, n: number) {
  const order = { ...base, id: base.id + n, updatedAt: new Date() };
  return {
    shop: QUIET,
    topic: "orders/create",
    webhookId: `quiet-${n}`,
    eventId: `quiet-event-${n}`,
    payload: orderPayload(order),
  };
}

describe("the inbox applier's claim between shops", () => {
  it("GIVEN a shop with 10 000 queued events WHEN another shop's single event arrives THEN the next batch claimed is that shop's, each time", async () => {
    const busyHistory = await seedHistory(db, BUSY, { seed: 31, customers: 100, orders: 200 }, 30);
    const quietHistory = await seedHistory(db, QUIET, { seed: 32, customers: 40, orders: 80 }, 31);
    const template = [...busyHistory.orders()].find(
      (o) => o.customerId !== null && o.refunds.length === 0 && !o.cancelledAt && !o.test,
    );
    const quietBase = [...quietHistory.orders()].find((o) => o.customerId !== null);
    if (!template || !quietBase) throw new Error("no order to copy");
    // GIVEN 10 000 orders/create of the busy shop, in one statement: one real payload, the order id counting up.
    await pool.query(
      `INSERT INTO "WebhookInbox" (shop, "webhookId", topic, "eventId", headers, body, "customerId", "orderId")
       SELECT $1, 'backlog-' || g, 'orders/create', 'backlog-event-' || g,
              jsonb_build_object('x-shopify-topic', 'orders/create', 'x-shopify-shop-domain', $1::text),
              jsonb_set(jsonb_set($2::jsonb, '{id}', to_jsonb($3::bigint + g)),
                        '{customer,id}', to_jsonb($4::bigint + g % 90))::text,
              $4::bigint + g % 90, $3::bigint + g
       FROM generate_series(1, 10000) g`,
      [BUSY, JSON.stringify(orderPayload(template)), "900000000000000", String(customerIdBase(30))],
    );
    expect(await pendingEvents(pool, [BUSY])).toBe(10_000);

    // The busy shop is served first (its events came first), and is now a backlog.
    expect(await applyNextBatch(deps)).toMatchObject({ shop: BUSY, events: 500 });

    // WHEN the quiet shop's first event arrives THEN the next claim is the quiet shop's.
    await fillInbox(pool, [quietOrder(quietBase, 1)]);
    expect(await applyNextBatch(deps)).toMatchObject({ shop: QUIET, events: 1 });
    expect(await applyNextBatch(deps)).toMatchObject({ shop: BUSY, events: 500 });

    // A shop served before gets the same: a new event after its last service goes ahead of the backlog.
    await fillInbox(pool, [quietOrder(quietBase, 2)]);
    expect(await applyNextBatch(deps)).toMatchObject({ shop: QUIET, events: 1 });
    expect(await pendingEvents(pool, [BUSY])).toBe(9_000);
  }, 60_000);
});
