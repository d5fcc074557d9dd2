import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { recomputeShopAggregates } from "../../app/pipeline/aggregate/aggregates.server";
import { DEMO_SHOP, startDemoStack, type DemoStack } from "../demo/stack";
import { ShopDataset, type GeneratedOrder } from "../emulator/generator";
import { customerPayload, orderPayload } from "../emulator/shapes";
import { Random } from "../emulator/random";
import { intendedOrders, orderLifeEvents, pairMerges, shuffle } from "../support/live-stream";
import { installAndBackfill } from "../support/install";
import { waitForInboxDrained } from "../support/inbox";
import { actualAggregates, diffAggregates, expectedAggregates } from "../support/expected-aggregates";

/**
 * Property: whatever order, duplication and interleaving Shopify delivers a
 * stream of order/customer events in, the incrementally maintained aggregates
 * equal (a) a full recomputation from the stored orders and (b) an independent
 * computation from the intended final state of every order.
 */

let stack: DemoStack;
const db = createDb(process.env.DATABASE_URL as string, 2);

interface Event {
  topic: string;
  payload: unknown;
  webhookId: string;
}

beforeAll(async () => {
  stack = await startDemoStack({
    databaseUrl: process.env.DATABASE_URL as string,
    dataset: { customers: 150, orders: 450, seed: 3 },
  });
  await installAndBackfill(stack, db);
}, 150_000);

afterAll(async () => {
  await stack?.stop();
  await db.$disconnect();
});

describe("live order and customer webhooks", () => {
  it("GIVEN a shuffled stream with duplicates, deletes before creates and merges THEN aggregates are exact", async () => {
    const shop = stack.emulator.shop(DEMO_SHOP);
    const rng = new Random(2024);
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
    const live = new ShopDataset({ seed: 99, customers: 150, orders: 260, from, to: today, currency: "EUR" });
    const backfilled = new Set([...shop.orders()].map((o) => o.id));
    const fresh = [...live.orders()].filter((o) => !backfilled.has(o.id) && o.customerId !== null);

    const { events, finalState } = orderLifeEvents(
      fresh,
      (o) => live.customer(live.customerIndex(o.customerId as number) as number),
      rng,
      { noopUpdates: true },
    );
    // Customers: profile updates (one of them an echo of a tag write), some out of order.
    for (let i = 0; i < 30; i++) {
      const c = live.customer(i);
      const t1 = new Date(Date.now() - 3_600_000);
      const t2 = new Date(Date.now() - 1_800_000);
      events.push({ topic: "customers/update", payload: customerPayload(c, t1, c.tags) });
      events.push({ topic: "customers/update", payload: customerPayload(c, t2, [...c.tags, "rfm-champions"]) });
    }
    // Merges: the second customer of each pair is kept.
    const merged = new Map<number, number>();
    events.push(...pairMerges([...new Set(fresh.map((o) => o.customerId as number))], merged));

    // At-least-once: a quarter delivered twice with the same webhook id; then shuffled.
    const deliveries: Event[] = [];
    events.forEach((e, i) => {
      const event = { ...e, webhookId: `evt-${i}-${rng.int(0, 1e9)}` };
      deliveries.push(event);
      if (rng.chance(0.25)) deliveries.push(event);
    });
    shuffle(deliveries, rng);

    const statuses: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (next < deliveries.length) {
          const d = deliveries[next++] as Event;
          const r = await stack.emulator.deliver(DEMO_SHOP, d.topic, d.payload, { webhookId: d.webhookId });
          statuses.push(r.status);
        }
      }),
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(deliveries.length).toBeGreaterThan(events.length);
    // Answered 200 = in the inbox; the app's worker applies it in batches.
    await waitForInboxDrained(db, DEMO_SHOP);

    // (a) Incremental equals a full recomputation from the stored orders.
    const incremental = actualAggregates(await db.customerAggregate.findMany({ where: { shop: DEMO_SHOP } }));
    await recomputeShopAggregates(db, DEMO_SHOP);
    const recomputed = await db.customerAggregate.findMany({ where: { shop: DEMO_SHOP } });
    expect(diffAggregates(incremental, actualAggregates(recomputed))).toEqual([]);

    // (b) Both equal an independent computation from the intended final state.
    const truth = intendedOrders(shop.orders(), finalState, merged);
    const expected = expectedAggregates(truth, {
      timeZone: "Europe/Amsterdam",
      windowEnd: (id) => recomputed.find((r) => String(r.customerId) === id)?.windowEnd ?? new Date(),
    });
    expect(diffAggregates(expected, actualAggregates(recomputed))).toEqual([]);

    // Deleted orders stay deleted; merged-away customers own nothing; the newest customer state won.
    const deletedIds = [...finalState.entries()].filter(([, v]) => v.deleted).map(([id]) => BigInt(id));
    expect(await db.order.count({ where: { shop: DEMO_SHOP, id: { in: deletedIds }, deletedAt: null } })).toBe(0);
    expect(
      await db.order.count({ where: { shop: DEMO_SHOP, customerId: { in: [...merged.keys()].map(BigInt) } } }),
    ).toBe(0);
    const unmerged = Array.from({ length: 30 }, (_, i) => live.customerId(i)).find((id) => !merged.has(id)) as number;
    const customer = await db.customer.findUniqueOrThrow({
      where: { shop_id: { shop: DEMO_SHOP, id: BigInt(unmerged) } },
    });
    // Newest wins: our profile update (30 minutes ago) unless the app's own tag write-back made
    // Shopify send a newer customers/update (its echo), whose tags then stand.
    const emulated = shop.customer(unmerged);
    if (!emulated) throw new Error("customer not in the emulated shop");
    if (customer.shopifyUpdatedAt.getTime() > Date.now() - 20 * 60_000)
      expect(customer.tags).toEqual(shop.customerTagList(emulated));
    else expect(customer.tags).toContain("rfm-champions");
    // Every delivery was recorded once per webhook id.
    expect(await db.webhookInbox.count({ where: { shop: DEMO_SHOP, webhookId: { startsWith: "evt-" } } })).toBe(
      events.length,
    );
  }, 180_000);

  it("GIVEN an order webhook for a shop that never installed THEN 404 and nothing is written", async () => {
    const before = await db.order.count();
    const o = [...stack.emulator.shop(DEMO_SHOP).orders()][0] as GeneratedOrder;
    const r = await stack.emulator.deliver("stranger.myshopify.com", "orders/create", orderPayload(o));
    expect(r.status).toBe(404);
    expect(await db.order.count()).toBe(before);
    expect(await db.webhookInbox.count({ where: { shop: "stranger.myshopify.com" } })).toBe(0);
  });
});
