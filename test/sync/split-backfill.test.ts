import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { logger } from "../../app/platform/logger.server";
import { createAdminClient, type AdminClient } from "../../app/shopify/admin-client.server";
import { bulkOperationStatus, ordersCounts, runOrdersBulkQuery } from "../../app/shopify/orders.server";
import { planExportRanges } from "../../app/pipeline/ingest/export-ranges.server";
import { advanceSync, progressOf, startSync, type SyncDeps } from "../../app/pipeline/ingest/bulk-sync.server";
import { startAdminEmulator, type AdminEmulator } from "../emulator/server";
import { routeShopifyToEmulator } from "../emulator/shopify-origin-routing";
import { TEST_APP } from "../setup/test-app";
import {
  actualAggregates,
  diffAggregates,
  expectedAggregates,
  truthFromGenerated,
} from "../support/expected-aggregates";

/** A first backfill split by processed_at into concurrent bulk queries: planned from exact counts, resumed per range. */

const SPLIT_SHOP = "split-backfill.myshopify.com";
const BIG_SHOP = "busy-periods.myshopify.com";
const CROWDED_SHOP = "leftover-export.myshopify.com";
let emulator: AdminEmulator;
const db = createDb(process.env.DATABASE_URL as string, 2);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });

function adminFor(shop: string): AdminClient {
  const s = emulator.shop(shop);
  s.grantedScopes = TEST_APP.scopes.split(",");
  return createAdminClient({ shop, accessToken: s.issueToken(TEST_APP.scopes, false).access_token, logger });
}

/** A download that dies half way through `url`'s body (the other files arrive whole). */
function breakingFetch(broken: (url: string) => boolean): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!broken(url) || !response.body) return response;
    const bytes = new Uint8Array(await response.arrayBuffer());
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // The first half arrives; the next read fails (erroring at once would drop the queued half too).
        if (sent) return controller.error(new Error("connection reset by peer"));
        sent = true;
        controller.enqueue(bytes.slice(0, Math.floor(bytes.length / 2)));
      },
    });
    return new Response(body, { status: 200 });
  };
}

async function advanceUntilSettled(deps: SyncDeps, runId: string) {
  for (let i = 0; i < 600; i++) {
    const outcome = await advanceSync(deps, runId);
    if (outcome !== "waiting") return outcome;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the run never settled");
}

beforeAll(async () => {
  emulator = await startAdminEmulator({
    app: TEST_APP,
    shops: [
      { domain: SPLIT_SHOP, name: "Split", plan: "plus", dataset: { customers: 600, orders: 2_400, seed: 21 } },
      {
        domain: BIG_SHOP,
        name: "Busy",
        plan: "plus",
        // 60 000 orders in two years: every year (and some months' neighbours) well past ordersCount's default 10 000.
        dataset: { customers: 6_000, orders: 60_000, seed: 4, from: "2024-01-01", to: "2025-12-31" },
      },
      { domain: CROWDED_SHOP, name: "Crowded", plan: "plus", dataset: { customers: 300, orders: 1_200, seed: 8 } },
    ],
  });
  routeShopifyToEmulator(emulator.url);
  await db.shop.create({ data: { shop: SPLIT_SHOP, ianaTimezone: "Europe/Amsterdam" } });
  await db.shop.create({ data: { shop: CROWDED_SHOP, ianaTimezone: "Europe/Amsterdam" } });
}, 120_000);

afterAll(async () => {
  await emulator?.close();
  await pool.end();
  await db.$disconnect();
});

describe("split backfill: processed_at ranges exported at once", () => {
  it("GIVEN more than 10 000 orders per period THEN the ranges come from exact counts and hold every order once, in about equal parts", async () => {
    const admin = adminFor(BIG_SHOP);
    const orders = [...emulator.shop(BIG_SHOP).orders()];
    // The default limit would stop at 10 000 for a year of this shop: the plan must not rely on it.
    const capped = await admin.requestRendered<{ c: { count: number; precision: string } }>(
      `{ c: ordersCount(query: "processed_at:>='2024-01-01T00:00:00.000Z' processed_at:<'2025-01-01T00:00:00.000Z'") { count precision } }`,
    );
    expect(capped.c).toEqual({ count: 10_000, precision: "AT_LEAST" });

    const ranges = await planExportRanges((s) => ordersCounts(admin, s), 4, new Date());
    expect(ranges).toHaveLength(4);
    expect(ranges[0]?.fromAt).toBeNull();
    expect(ranges[3]?.toAt).toBeNull();
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]?.fromAt).toEqual(ranges[i - 1]?.toAt);
    const inRange = (r: (typeof ranges)[number]) =>
      orders.filter(
        (o) =>
          (!r.fromAt || o.processedAt.getTime() >= r.fromAt.getTime()) &&
          (!r.toAt || o.processedAt.getTime() < r.toAt.getTime()),
      ).length;
    expect(ranges.map(inRange)).toEqual(ranges.map((r) => r.orders));
    expect(ranges.reduce((s, r) => s + r.orders, 0)).toBe(orders.length);
    for (const r of ranges) expect(Math.abs(r.orders - orders.length / 4)).toBeLessThan(orders.length * 0.02);
  }, 120_000);

  it("GIVEN a split backfill whose one range dies mid-download THEN the other ranges complete, the broken one resumes from its own offset, one progress figure adds up, and the result equals the oracle", async () => {
    const admin = adminFor(SPLIT_SHOP);
    const shop = emulator.shop(SPLIT_SHOP);
    const base = {
      db,
      pool,
      admin,
      logger,
      scopes: TEST_APP.scopes.split(","),
      splitMinOrders: 1_000,
      ingestBatchLines: 200,
    };
    // The rate model: each export writes 1 000 orders (or customers) a second, so they overlap as Shopify's would.
    shop.bulkExportRootsPerSecond = 1_000;
    const run = await startSync(base, "backfill");
    const truth = [...shop.orders()];
    expect(run).toMatchObject({ kind: "backfill", status: "running", orderRanges: 4, ordersExpected: truth.length });
    const ranges = await db.syncRange.findMany({
      where: { shop: SPLIT_SHOP, runId: run.id },
      orderBy: { index: "asc" },
    });
    expect(ranges).toHaveLength(4);
    expect(ranges.reduce((s, r) => s + r.ordersExpected, 0)).toBe(truth.length);
    expect(new Set(ranges.map((r) => r.bulkOperationId)).size).toBe(4);
    // The four order ranges ran at once, beside the customers export while it lasted: Shopify's five, never more
    // (on a busy machine the customers export can finish before the last range starts, so 4 is a pass too).
    expect(shop.bulkQueryPeak).toBeGreaterThanOrEqual(4);
    expect(shop.bulkQueryPeak).toBeLessThanOrEqual(5);

    // Every export finishes first, so the one pass below sees all four files (on a slow machine range 3 could
    // otherwise still be exporting when range 1 breaks, and rightly be left for the retry).
    const operations = [...ranges.map((r) => r.bulkOperationId), run.customersBulkOperationId];
    for (let i = 0; ; i++) {
      const statuses = await Promise.all(
        operations.map(async (id) => (id ? (await bulkOperationStatus(admin, id))?.status : "COMPLETED")),
      );
      if (statuses.every((s) => s === "COMPLETED")) break;
      if (i > 600) throw new Error(`exports never finished: ${statuses.join(", ")}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    // Range 1's download breaks half way; the job fails after ingesting the other three.
    const brokenUrl = async () =>
      (
        await db.syncRange.findUniqueOrThrow({
          where: { shop_runId_index: { shop: SPLIT_SHOP, runId: run.id, index: 1 } },
        })
      ).resultUrl;
    const deps = {
      ...base,
      fetch: (async (input, init) => {
        const target = await brokenUrl();
        return breakingFetch((url) => url === target)(input, init);
      }) as typeof fetch,
    };
    await expect(advanceUntilSettled(deps, run.id)).rejects.toThrow(/connection reset/);

    const killed = await db.syncRun.findUniqueOrThrow({ where: { shop_id: { shop: SPLIT_SHOP, id: run.id } } });
    const after = await db.syncRange.findMany({
      where: { shop: SPLIT_SHOP, runId: run.id },
      orderBy: { index: "asc" },
    });
    expect(after.map((r) => r.done)).toEqual([true, false, true, true]);
    for (const r of after.filter((r) => r.done)) expect(r.ordersIngested).toBe(r.ordersExpected);
    const stuck = after[1];
    expect(stuck?.linesCommitted).toBeGreaterThan(0);
    expect(stuck?.ordersIngested).toBeGreaterThan(0);
    expect(stuck?.ordersIngested).toBeLessThan(stuck?.ordersExpected ?? 0);
    // One merged figure: the run's count is the sum of its ranges', and what the progress bar shows.
    expect(killed.ordersIngested).toBe(after.reduce((s, r) => s + r.ordersIngested, 0));
    expect(progressOf(killed)).toMatchObject({ ordersIngested: killed.ordersIngested, ordersExpected: truth.length });
    expect(killed.status).toBe("ingesting");

    // The retry reads only the broken range's file again, from its committed offset.
    const fetched: string[] = [];
    const resumed = await advanceUntilSettled(
      {
        ...base,
        fetch: (async (input, init) => {
          fetched.push(String(input));
          return fetch(input, init);
        }) as typeof fetch,
      },
      run.id,
    );
    expect(resumed).toBe("completed");
    // (The customers file may come too if its export was still running at the break.)
    expect(fetched.filter((u) => u === stuck?.resultUrl)).toHaveLength(1);
    for (const r of after.filter((r) => r.done)) expect(fetched).not.toContain(r.resultUrl);
    const done = await db.syncRun.findUniqueOrThrow({ where: { shop_id: { shop: SPLIT_SHOP, id: run.id } } });
    expect(done).toMatchObject({ status: "completed", ordersIngested: truth.length, ordersExpected: truth.length });
    const last = await db.syncRange.findUniqueOrThrow({
      where: { shop_runId_index: { shop: SPLIT_SHOP, runId: run.id, index: 1 } },
    });
    expect(last).toMatchObject({ done: true, ordersIngested: last.ordersExpected });
    expect(last.linesCommitted).toBeGreaterThan(stuck?.linesCommitted ?? 0);

    // The oracle: every order, line and refund once, every aggregate as an independent computation has it.
    expect(await db.order.count({ where: { shop: SPLIT_SHOP } })).toBe(truth.length);
    expect(await db.orderLine.count({ where: { shop: SPLIT_SHOP } })).toBe(
      truth.reduce((s, o) => s + o.lineItems.length, 0),
    );
    expect(await db.refund.count({ where: { shop: SPLIT_SHOP } })).toBe(
      truth.reduce((s, o) => s + o.refunds.length, 0),
    );
    expect(await db.customer.count({ where: { shop: SPLIT_SHOP } })).toBe([...shop.customers()].length);
    const rows = await db.customerAggregate.findMany({ where: { shop: SPLIT_SHOP } });
    const expected = expectedAggregates(
      truth.map((o) => truthFromGenerated(o)),
      {
        timeZone: "Europe/Amsterdam",
        windowEnd: (id) => rows.find((r) => String(r.customerId) === id)?.windowEnd ?? new Date(),
      },
    );
    expect(rows.length).toBeGreaterThan(300);
    expect(diffAggregates(expected, actualAggregates(rows))).toEqual([]);
  }, 180_000);

  it("GIVEN a bulk query of an earlier run still going THEN the split leaves its slot: three ranges, five queries at most", async () => {
    const admin = adminFor(CROWDED_SHOP);
    const shop = emulator.shop(CROWDED_SHOP);
    let release: () => void = () => undefined;
    shop.bulkHold = new Promise<void>((resolve) => (release = resolve));
    expect((await runOrdersBulkQuery(admin, null))?.userErrors).toEqual([]);
    const deps = { db, pool, admin, logger, scopes: TEST_APP.scopes.split(","), splitMinOrders: 500 };
    const run = await startSync(deps, "backfill");
    expect(run).toMatchObject({ status: "running", orderRanges: 3 });
    expect(shop.bulkQueryPeak).toBe(5);
    release();
    shop.bulkHold = undefined;
    expect(await advanceUntilSettled(deps, run.id)).toBe("completed");
    expect(await db.order.count({ where: { shop: CROWDED_SHOP } })).toBe([...shop.orders()].length);
  }, 120_000);
});
