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

/** The split backfill as the app runs it: install → worker → range exports woken by bulk_operations/finish. */

let stack: DemoStack;
const db = createDb(process.env.DATABASE_URL as string, 2);

beforeAll(async () => {
  stack = await startDemoStack({
    databaseUrl: process.env.DATABASE_URL as string,
    dataset: { customers: 500, orders: 2_000 },
    env: { SYNC_SPLIT_MIN_ORDERS: "1000" },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await db.$disconnect();
});

describe("split backfill through the worker", () => {
  it("GIVEN a fresh install of a shop past the split size THEN four range exports and the customers export run, every finish webhook is accepted, and the result equals the oracle", async () => {
    expect((await openApp(stack)).status).toBe(200);
    const run = await waitFor(
      "a finished backfill",
      async () => {
        const r = await db.syncRun.findFirst({ where: { shop: DEMO_SHOP } });
        return r && (r.status === "completed" || r.status === "failed") ? r : undefined;
      },
      90_000,
    );
    const shop = stack.emulator.shop(DEMO_SHOP);
    const truth = [...shop.orders()];
    expect(run).toMatchObject({ status: "completed", orderRanges: 4, ordersIngested: truth.length });
    const ranges = await db.syncRange.findMany({ where: { shop: DEMO_SHOP, runId: run.id } });
    expect(ranges.map((r) => [r.done, r.ordersIngested === r.ordersExpected])).toEqual(ranges.map(() => [true, true]));
    expect(shop.bulkQueryPeak).toBeLessThanOrEqual(5);
    const finishes = stack.emulator.deliveries.filter(
      (d) => d.shop === DEMO_SHOP && d.topic === "bulk_operations/finish",
    );
    expect(finishes.map((d) => d.status)).toEqual([200, 200, 200, 200, 200]);

    const rows = await db.customerAggregate.findMany({ where: { shop: DEMO_SHOP } });
    const expected = expectedAggregates(
      truth.map((o) => truthFromGenerated(o)),
      {
        timeZone: "Europe/Amsterdam",
        windowEnd: (id) => rows.find((r) => String(r.customerId) === id)?.windowEnd ?? new Date(),
      },
    );
    expect(diffAggregates(expected, actualAggregates(rows))).toEqual([]);
  }, 150_000);
});
