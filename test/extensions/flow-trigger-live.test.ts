import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { DEMO_SHOP, startDemoStack, type DemoStack } from "../demo/stack";
import { installAndBackfill } from "../support/install";
import { lapsedCustomerOrder } from "../support/lapsed-order";
import { waitFor } from "../support/wait";
import { FLOW_TRIGGER_HANDLE } from "../../app/pipeline/write-back/flow-triggers.server";

/**
 * End to end through the running app: installing (history reconstruction and
 * the first full run) fires no Flow trigger; a signed orders/create webhook
 * that brings back a lapsed customer re-scores them, and the worker sends
 * Flow one "Customer RFM segment changed" trigger for them.
 */

let stack: DemoStack;
const db = createDb(process.env.DATABASE_URL as string, 2);

beforeAll(async () => {
  stack = await startDemoStack({
    databaseUrl: process.env.DATABASE_URL as string,
    dataset: { customers: 300, orders: 900, seed: 21 },
  });
  await installAndBackfill(stack, db);
}, 150_000);

afterAll(async () => {
  await stack?.stop();
  await db.$disconnect();
});

describe("Flow trigger in the running app", () => {
  it("GIVEN a fresh install THEN neither the reconstruction nor the first full run fires a trigger", async () => {
    expect(await db.scoringRun.count({ where: { shop: DEMO_SHOP, kind: "reconstructed" } })).toBe(1);
    expect(await db.flowTriggerEvent.count({ where: { shop: DEMO_SHOP } })).toBe(0);
    expect(stack.emulator.shop(DEMO_SHOP).flowTriggers).toEqual([]);
  });

  it("GIVEN a lapsed customer WHEN a new order arrives by webhook THEN Flow receives one trigger with their previous and new segment and R/F/M", async () => {
    const { lapsed, shop, payload } = await lapsedCustomerOrder(stack, db, DEMO_SHOP, "#FLOW-1");
    const delivered = await stack.emulator.deliver(DEMO_SHOP, "orders/create", payload);
    expect(delivered.status).toBe(200);

    const trigger = await waitFor(
      "the Flow trigger for the customer",
      async () => shop.flowTriggers.find((t) => t.payload.customer_id === Number(lapsed.customerId)),
      60_000,
    );
    const rescored = await db.customerScore.findUniqueOrThrow({
      where: { shop_customerId: { shop: DEMO_SHOP, customerId: lapsed.customerId } },
    });
    expect(rescored.segment).not.toBe(lapsed.segment);
    expect(trigger.handle).toBe(FLOW_TRIGGER_HANDLE);
    expect(trigger.payload).toEqual({
      customer_id: Number(lapsed.customerId),
      "Previous segment": lapsed.segment,
      "New segment": rescored.segment,
      "R score": rescored.r,
      "F score": rescored.f,
      "M score": rescored.m,
      "Changed on": rescored.segmentSince.toISOString().slice(0, 10),
      // The customer's prediction bands ride along (the demo shop is fitted once its first prediction run is done).
      "Chance still active": rescored.pAliveBand ?? "",
      "Predicted yearly value": rescored.valueTier ?? "",
      "Expected orders next year": rescored.ordersBand ?? "",
    });
    expect(rescored.r).toBe(5);
    // Sent once, recorded as sent; nothing else was moved by this order.
    await waitFor(
      "the event marked sent",
      async () => (await db.flowTriggerEvent.count({ where: { shop: DEMO_SHOP, sentAt: null } })) === 0,
      30_000,
    );
    const rows = await db.flowTriggerEvent.findMany({ where: { shop: DEMO_SHOP } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      customerId: lapsed.customerId,
      fromSegment: lapsed.segment,
      toSegment: rescored.segment,
      attempts: 1,
      lastError: null,
    });
    expect(shop.flowTriggers.filter((t) => t.payload.customer_id === Number(lapsed.customerId))).toHaveLength(1);
  });
});
