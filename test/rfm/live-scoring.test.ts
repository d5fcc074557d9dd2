import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { DEMO_SHOP, startDemoStack, type DemoStack } from "../demo/stack";
import { installAndBackfill } from "../support/install";
import { lapsedCustomerOrder } from "../support/lapsed-order";
import { waitFor } from "../support/wait";
import { reconstructHistory, RECONSTRUCTED_DAYS } from "../../app/pipeline/score/scoring.server";
import { epochDay, isoDay } from "../../app/domain/rfm/dates";

/**
 * End to end through the running app: the backfill is followed by a full
 * scoring run (a pg-boss job), and a signed orders/create webhook re-scores
 * that customer within a minute — once, however often Shopify delivers it.
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

describe("scoring in the running app", () => {
  it("GIVEN a completed backfill THEN a full run scores every customer with an order and keeps its cut-offs", async () => {
    const run = await waitFor(
      "first full scoring run",
      () => db.scoringRun.findFirst({ where: { shop: DEMO_SHOP, kind: "full", finishedAt: { not: null } } }),
      60_000,
    );
    const aggregates = await db.customerAggregate.count({ where: { shop: DEMO_SHOP } });
    expect(run.customers).toBe(aggregates);
    expect(await db.customerScore.count({ where: { shop: DEMO_SHOP } })).toBe(aggregates);
    const cutoffs = run.cutoffs as { r: { score: number; customers: number }[] };
    expect(cutoffs.r.reduce((n, c) => n + c.customers, 0)).toBe(aggregates);
    const stats = run.stats as { segments: Record<string, number> };
    expect(Object.values(stats.segments).reduce((a, b) => a + b, 0)).toBe(aggregates);
    // Before it, the shop as it stood 30 days ago, from the orders up to that day: movement shows from day one.
    const reconstructed = await db.scoringRun.findFirstOrThrow({ where: { shop: DEMO_SHOP, kind: "reconstructed" } });
    expect(reconstructed.id < run.id).toBe(true);
    expect(reconstructed.asOf.toISOString().slice(0, 10)).toBe(
      isoDay(epochDay(run.asOf.toISOString().slice(0, 10)) - RECONSTRUCTED_DAYS),
    );
    const [then] = await db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(DISTINCT "customerId")::int AS n FROM "Order"
       WHERE shop = $1 AND "customerId" IS NOT NULL AND NOT test AND "cancelledAt" IS NULL AND "deletedAt" IS NULL
         AND ("processedAt" AT TIME ZONE 'Europe/Amsterdam')::date <= $2::date`,
      DEMO_SHOP,
      reconstructed.asOf.toISOString().slice(0, 10),
    );
    expect(reconstructed.customers).toBe(then?.n);
    const [moved] = await db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "SegmentMembership" WHERE shop = $1 AND kind = 'rfm'`,
      DEMO_SHOP,
    );
    expect(moved?.n).toBeGreaterThan(0);
    expect(await reconstructHistory(db, DEMO_SHOP)).toBeNull();
    // Shopify echoed every tag write as customers/update (answered 200 while installing); the echoes caused
    // no work: nothing queued for re-scoring, no second scoring run, no further write-back.
    const echoes = stack.emulator.deliveries.filter((d) => d.shop === DEMO_SHOP && d.topic === "customers/update");
    expect(echoes.length).toBeGreaterThanOrEqual(aggregates);
    expect(await db.pendingRescore.count({ where: { shop: DEMO_SHOP } })).toBe(0);
    expect(await db.scoringRun.count({ where: { shop: DEMO_SHOP, kind: "full" } })).toBe(1);
    const writes = stack.emulator.log.filter(
      (l) => l.shop === DEMO_SHOP && l.operationName === "AppTagsWriteBack",
    ).length;
    await new Promise((r) => setTimeout(r, 3_000));
    expect(
      stack.emulator.log.filter((l) => l.shop === DEMO_SHOP && l.operationName === "AppTagsWriteBack").length,
    ).toBe(writes);
  });

  it("GIVEN a lapsed customer WHEN a new order arrives by webhook (twice) THEN they are re-scored within a minute, counted once", async () => {
    const { lapsed, payload } = await lapsedCustomerOrder(stack, db, DEMO_SHOP, "#LIVE-1");
    const sent = Date.now();
    const first = await stack.emulator.deliver(DEMO_SHOP, "orders/create", payload);
    expect(first.status).toBe(200);
    const again = await stack.emulator.deliver(DEMO_SHOP, "orders/create", payload, { webhookId: first.webhookId });
    expect(again.status).toBe(200);

    const rescored = await waitFor(
      "the customer's new scores",
      async () => {
        const s = await db.customerScore.findUnique({
          where: { shop_customerId: { shop: DEMO_SHOP, customerId: lapsed.customerId } },
        });
        return s && s.frequency === lapsed.frequency + 1 ? s : undefined;
      },
      60_000,
    );
    const seconds = (Date.now() - sent) / 1000;
    expect(seconds).toBeLessThan(60);
    expect(rescored.r).toBe(5);
    expect(rescored.lastOrderDate.getTime()).toBeGreaterThan(lapsed.lastOrderDate.getTime());
    expect(Number(rescored.monetary)).toBeCloseTo(Number(lapsed.monetary) + 2500, 2);
    expect(rescored.segment).not.toBe(lapsed.segment);
    // Nothing left pending, and the duplicate delivery did not count twice.
    await waitFor(
      "pending re-scores drained",
      async () => (await db.pendingRescore.count({ where: { shop: DEMO_SHOP } })) === 0,
      30_000,
    );
    const after = await db.customerScore.findUniqueOrThrow({
      where: { shop_customerId: { shop: DEMO_SHOP, customerId: lapsed.customerId } },
    });
    expect(after.frequency).toBe(lapsed.frequency + 1);
  });
});
