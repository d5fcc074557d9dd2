import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { DEMO_SHOP, startDemoStack, type DemoStack } from "../demo/stack";
import { openApp } from "../support/merchant";
import { waitFor } from "../support/wait";
import {
  actualAggregates,
  diffAggregates,
  expectedAggregates,
  truthFromGenerated,
} from "../support/expected-aggregates";

const LIMITED_SHOP = "recent-only.myshopify.com";
const FAILING_SHOP = "flaky-export.myshopify.com";
let stack: DemoStack;
const db = createDb(process.env.DATABASE_URL as string, 2);

async function finishedRun(shop: string, afterRuns = 0) {
  return waitFor(
    `a finished sync for ${shop}`,
    async () => {
      const runs = await db.syncRun.findMany({ where: { shop }, orderBy: { startedAt: "asc" } });
      const run = runs[afterRuns];
      return run && (run.status === "completed" || run.status === "failed") ? run : undefined;
    },
    90_000,
  );
}

beforeAll(async () => {
  stack = await startDemoStack({
    databaseUrl: process.env.DATABASE_URL as string,
    dataset: { customers: 600, orders: 1_800 },
  });
  const limited = stack.emulator.addShop({
    domain: LIMITED_SHOP,
    name: "Recent Only",
    dataset: { customers: 300, orders: 900, seed: 5 },
  });
  limited.grantedScopes = ["read_orders", "read_customers", "write_customers"];
  const failing = stack.emulator.addShop({
    domain: FAILING_SHOP,
    name: "Flaky Export",
    dataset: { customers: 200, orders: 600, seed: 9 },
  });
  failing.bulkFault = { errorCode: "INTERNAL_SERVER_ERROR", afterRoots: 150 };
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await db.$disconnect();
});

describe("backfill: full order history through a bulk operation", () => {
  it("GIVEN a fresh install THEN every order is ingested and every aggregate matches an independent computation", async () => {
    expect((await openApp(stack)).status).toBe(200);
    const run = await finishedRun(DEMO_SHOP);
    const shop = stack.emulator.shop(DEMO_SHOP);
    const truth = [...shop.orders()];
    expect(run).toMatchObject({
      kind: "backfill",
      status: "completed",
      ordersIngested: truth.length,
      ordersExpected: truth.length,
      limitedTo60Days: false,
    });
    expect(run.bulkOperationId).toMatch(/^gid:\/\/shopify\/BulkOperation\//);

    // Every order, line and refund landed once.
    expect(await db.order.count({ where: { shop: DEMO_SHOP } })).toBe(truth.length);
    expect(await db.orderLine.count({ where: { shop: DEMO_SHOP } })).toBe(
      truth.reduce((s, o) => s + o.lineItems.length, 0),
    );
    expect(await db.refund.count({ where: { shop: DEMO_SHOP } })).toBe(truth.reduce((s, o) => s + o.refunds.length, 0));
    const sample = truth[17];
    const stored = await db.order.findUniqueOrThrow({
      where: { shop_id: { shop: DEMO_SHOP, id: BigInt(sample?.id ?? 0) } },
    });
    expect(Number(stored.currentTotalPrice) * 100).toBeCloseTo(sample?.currentTotalCents ?? -1, 6);

    const rows = await db.customerAggregate.findMany({ where: { shop: DEMO_SHOP } });
    const expected = expectedAggregates(
      truth.map((o) => truthFromGenerated(o)),
      {
        timeZone: "Europe/Amsterdam",
        windowEnd: (id) => rows.find((r) => String(r.customerId) === id)?.windowEnd ?? new Date(),
      },
    );
    expect(diffAggregates(expected, actualAggregates(rows))).toEqual([]);
    expect(rows.length).toBeGreaterThan(400);

    // Shopify told us when the export finished; the shop is marked synced.
    expect(
      stack.emulator.deliveries
        .filter((d) => d.shop === DEMO_SHOP && d.topic === "bulk_operations/finish")
        .map((d) => d.status),
    ).toEqual([200, 200]); // one per export: orders and customers
    expect((await db.shop.findUniqueOrThrow({ where: { shop: DEMO_SHOP } })).ordersSyncedAt).not.toBeNull();
  }, 120_000);

  it("GIVEN no read_all_orders THEN only the last 60 days are read and the merchant is told plainly", async () => {
    expect((await openApp(stack, LIMITED_SHOP)).status).toBe(200);
    const run = await finishedRun(LIMITED_SHOP);
    expect(run.status).toBe("completed");
    expect(run.limitedTo60Days).toBe(true);
    expect(run.message).toMatch(/only shares the last 60 days of orders/);
    const cutoff = Date.now() - 60 * 86_400_000;
    const visible = [...stack.emulator.shop(LIMITED_SHOP).orders()].filter((o) => o.createdAt.getTime() >= cutoff);
    expect(await db.order.count({ where: { shop: LIMITED_SHOP } })).toBe(visible.length);
    expect(visible.length).toBeLessThan([...stack.emulator.shop(LIMITED_SHOP).orders()].length);
  }, 120_000);

  it("GIVEN an export that fails half way THEN the run fails with a clear message, keeps the partial data, and a retry completes", async () => {
    expect((await openApp(stack, FAILING_SHOP)).status).toBe(200);
    const failed = await finishedRun(FAILING_SHOP);
    expect(failed).toMatchObject({ status: "failed", errorCode: "INTERNAL_SERVER_ERROR", partial: true });
    expect(failed.message).toMatch(/internal error while exporting your orders/);
    const partial = await db.order.count({ where: { shop: FAILING_SHOP } });
    expect(partial).toBeGreaterThan(0);

    // Retry (what the app's retry button and `npm run sync` do).
    const { enqueueOrdersSync } = await import("../support/jobs");
    await enqueueOrdersSync(FAILING_SHOP, "backfill");
    const retried = await finishedRun(FAILING_SHOP, 1);
    expect(retried.status).toBe("completed");
    const truth = [...stack.emulator.shop(FAILING_SHOP).orders()];
    expect(await db.order.count({ where: { shop: FAILING_SHOP } })).toBe(truth.length);
    const rows = await db.customerAggregate.findMany({ where: { shop: FAILING_SHOP } });
    const expected = expectedAggregates(
      truth.map((o) => truthFromGenerated(o)),
      {
        timeZone: "Europe/Amsterdam",
        windowEnd: (id) => rows.find((r) => String(r.customerId) === id)?.windowEnd ?? new Date(),
      },
    );
    expect(diffAggregates(expected, actualAggregates(rows))).toEqual([]);
  }, 120_000);
});
