import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { shopsNeedingCustomerProfiles } from "../../app/pipeline/ingest/bulk-sync.server";
import { DEMO_SHOP, startDemoStack, type DemoStack } from "../demo/stack";
import { installAndBackfill } from "../support/install";
import { enqueueOrdersSync } from "../support/jobs";
import { openApp } from "../support/merchant";
import { waitFor } from "../support/wait";
import { profileDifferences } from "../support/customer-profiles";
import type { GeneratedCustomer } from "../emulator/generator";

const FAILING_SHOP = "flaky-customers.myshopify.com";
const UPGRADED_SHOP = "installed-before.myshopify.com";
let stack: DemoStack;
const db = createDb(process.env.DATABASE_URL as string, 2);

async function finishedRun(shop: string, where: { kind?: string } = {}, afterRuns = 0) {
  return waitFor(
    `a finished sync for ${shop}`,
    async () => {
      const runs = await db.syncRun.findMany({ where: { shop, ...where }, orderBy: { startedAt: "asc" } });
      const run = runs[afterRuns];
      return run && (run.status === "completed" || run.status === "failed") ? run : undefined;
    },
    90_000,
  );
}

/** Every scored customer's stored profile against the emulator's current truth, customer by customer. */
async function scoredProfileDifferences(shop: string) {
  const scored = await db.customerScore.findMany({ where: { shop }, select: { customerId: true } });
  expect(scored.length).toBeGreaterThan(0);
  const ids = scored.map((s) => s.customerId);
  const rows = await db.customer.findMany({ where: { shop, id: { in: ids } } });
  const emulated = stack.emulator.shop(shop);
  return profileDifferences(ids, rows, (id) => emulated.customer(Number(id)));
}

beforeAll(async () => {
  stack = await startDemoStack({
    databaseUrl: process.env.DATABASE_URL as string,
    dataset: { customers: 300, orders: 900 },
  });
  const failing = stack.emulator.addShop({
    domain: FAILING_SHOP,
    name: "Flaky Customers",
    dataset: { customers: 150, orders: 450, seed: 17, customerIdBase: 7_100_000_000_000 },
  });
  failing.bulkFault = { errorCode: "INTERNAL_SERVER_ERROR", afterRoots: 60, connection: "customers" };
  stack.emulator.addShop({
    domain: UPGRADED_SHOP,
    name: "Installed Before",
    dataset: { customers: 80, orders: 240, seed: 23, customerIdBase: 7_200_000_000_000 },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await db.$disconnect();
});

describe("customer profiles: exported beside the orders at backfill and reconcile", () => {
  it("GIVEN a fresh install THEN both exports run, and every scored customer has exactly the name, email, phone and consent Shopify holds", async () => {
    await installAndBackfill(stack, db);
    const run = await db.syncRun.findFirstOrThrow({ where: { shop: DEMO_SHOP, kind: "backfill" } });
    const emulated = stack.emulator.shop(DEMO_SHOP);
    expect(run).toMatchObject({
      status: "completed",
      customersDone: true,
      customersIngested: 300,
      customersExpected: 300,
    });
    expect(run.customersBulkOperationId).toMatch(/^gid:\/\/shopify\/BulkOperation\//);
    expect(run.customersBulkOperationId).not.toBe(run.bulkOperationId);
    const ops = [...emulated.bulkOperations.values()];
    expect(ops.find((o) => o.id === run.customersBulkOperationId)?.query).toMatch(/customers \{/);
    expect(ops.find((o) => o.id === run.bulkOperationId)?.query).toMatch(/orders \{/);

    expect(await scoredProfileDifferences(DEMO_SHOP)).toEqual([]);
    // Customers who never ordered get their profile too.
    const all = [...emulated.customers()].map((c) => BigInt(c.id));
    const rows = await db.customer.findMany({ where: { shop: DEMO_SHOP } });
    expect(profileDifferences(all, rows, (id) => emulated.customer(Number(id)))).toEqual([]);
    expect((await db.shop.findUniqueOrThrow({ where: { shop: DEMO_SHOP } })).customersSyncedAt).toEqual(run.startedAt);
  }, 300_000);

  it("GIVEN a customer changed in Shopify whose webhook never arrived THEN the nightly reconcile's customers export brings the change", async () => {
    const emulated = stack.emulator.shop(DEMO_SHOP);
    const scored = await db.customerScore.findFirstOrThrow({
      where: { shop: DEMO_SHOP },
      orderBy: { customerId: "asc" },
    });
    const before = emulated.customer(Number(scored.customerId)) as GeneratedCustomer;
    const at = new Date(Math.floor(Date.now() / 1000) * 1000);
    const changed: GeneratedCustomer = {
      ...before,
      firstName: "Renamed",
      email: `renamed.${before.index}@example.com`,
      phone: "+31600000001",
      countryCode: "BE",
      emailMarketing: before.emailMarketing === "SUBSCRIBED" ? "UNSUBSCRIBED" : "SUBSCRIBED",
      emailOptInLevel: "CONFIRMED_OPT_IN",
      emailConsentUpdatedAt: at,
      sms: { state: "PENDING", optInLevel: "SINGLE_OPT_IN", updatedAt: at },
    };
    emulated.putCustomer(changed, at);

    await enqueueOrdersSync(DEMO_SHOP, "reconcile");
    const run = await finishedRun(DEMO_SHOP, { kind: "reconcile" });
    expect(run.status).toBe("completed");
    // Only customers updated since the last sync (the tag write-back touched the scored ones) were exported.
    expect(run.customersIngested).toBeGreaterThanOrEqual(1);
    expect(run.customersIngested).toBe(run.customersExpected);
    expect(ops(run.customersBulkOperationId)).toMatch(/customers\(query: "updated_at:>=/);

    const row = await db.customer.findUniqueOrThrow({
      where: { shop_id: { shop: DEMO_SHOP, id: scored.customerId } },
    });
    expect(row).toMatchObject({
      firstName: "Renamed",
      phone: "+31600000001",
      countryCode: "BE",
      smsMarketingState: "PENDING",
    });
    expect(await scoredProfileDifferences(DEMO_SHOP)).toEqual([]);

    function ops(id: string | null) {
      return [...emulated.bulkOperations.values()].find((o) => o.id === id)?.query;
    }
  }, 180_000);

  it("GIVEN a customers export that fails half way THEN the sync fails with a plain message, and a retry completes both", async () => {
    expect((await openApp(stack, FAILING_SHOP)).status).toBe(200);
    const failed = await finishedRun(FAILING_SHOP);
    expect(failed).toMatchObject({ status: "failed", errorCode: "INTERNAL_SERVER_ERROR", partial: true });
    expect(failed.message).toMatch(/internal error while exporting your customers/);
    expect((await db.shop.findUniqueOrThrow({ where: { shop: FAILING_SHOP } })).customersSyncedAt).toBeNull();
    // What Shopify did export is kept.
    expect(await db.customer.count({ where: { shop: FAILING_SHOP } })).toBeGreaterThan(0);

    await enqueueOrdersSync(FAILING_SHOP, "backfill");
    const retried = await finishedRun(FAILING_SHOP, {}, 1);
    expect(retried).toMatchObject({ status: "completed", customersIngested: 150 });
    await waitFor(
      "the first scoring run",
      () => db.scoringRun.findFirst({ where: { shop: FAILING_SHOP, kind: "full", finishedAt: { not: null } } }),
      60_000,
    );
    expect(await scoredProfileDifferences(FAILING_SHOP)).toEqual([]);
  }, 180_000);

  it("GIVEN a shop synced before customer profiles existed THEN it is picked once for a customers-only export that fills every profile", async () => {
    expect((await openApp(stack, UPGRADED_SHOP)).status).toBe(200);
    await finishedRun(UPGRADED_SHOP);
    await waitFor(
      "the first scoring run",
      () => db.scoringRun.findFirst({ where: { shop: UPGRADED_SHOP, kind: "full", finishedAt: { not: null } } }),
      60_000,
    );
    // As the shop looked before this change: orders synced, no profiles, customers never exported.
    await db.shop.update({ where: { shop: UPGRADED_SHOP }, data: { customersSyncedAt: null } });
    await db.syncRun.updateMany({
      where: { shop: UPGRADED_SHOP },
      data: { customersBulkOperationId: null, customersIngested: 0, customersLinesCommitted: 0 },
    });
    await db.customer.updateMany({
      where: { shop: UPGRADED_SHOP },
      data: {
        phone: null,
        countryCode: null,
        smsMarketingState: null,
        smsMarketingUpdatedAt: null,
        smsMarketingOptInLevel: null,
      },
    });
    expect(await shopsNeedingCustomerProfiles(db)).toContain(UPGRADED_SHOP);

    await enqueueOrdersSync(UPGRADED_SHOP, "customers"); // what the worker enqueues at start-up
    const run = await finishedRun(UPGRADED_SHOP, { kind: "customers" });
    expect(run).toMatchObject({ status: "completed", bulkOperationId: null, customersIngested: 80 });
    expect(await scoredProfileDifferences(UPGRADED_SHOP)).toEqual([]);
    expect((await db.shop.findUniqueOrThrow({ where: { shop: UPGRADED_SHOP } })).customersSyncedAt).toEqual(
      run.startedAt,
    );
    expect(await shopsNeedingCustomerProfiles(db)).not.toContain(UPGRADED_SHOP);
    // The same job again (a second worker start) exports nothing.
    await enqueueOrdersSync(UPGRADED_SHOP, "customers");
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await db.syncRun.count({ where: { shop: UPGRADED_SHOP, kind: "customers" } })).toBe(1);
  }, 180_000);
});
