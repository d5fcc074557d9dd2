import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { logger } from "../../app/platform/logger.server";
import { createAdminClient, type AdminClient } from "../../app/shopify/admin-client.server";
import { syncShopifyEngagement } from "../../app/pipeline/engagement/shopify-engagement.server";
import { FOLLOW_UPS, JOB } from "../../app/pipeline/jobs.server";
import { syncShopifySegments } from "../../app/pipeline/write-back/shopify-segments.server";
import { segmentMemberIdsPage } from "../../app/shopify/engagement.server";
import { startAdminEmulator, type AdminEmulator } from "../emulator/server";
import { routeShopifyToEmulator } from "../emulator/shopify-origin-routing";
import type { EmulatedShop } from "../emulator/shop-state";
import { TEST_APP } from "../setup/test-app";

/**
 * Shopify's engagement signals through customerSegmentMembers, against the emulator. The expected signals are
 * recomputed here from the emulator's raw events (no app code): a click / product view on a shop-local day within
 * the last N days.
 */

const SHOP = "engagement-signals.myshopify.com";
const BARE = "engagement-bare.myshopify.com";
const TZ = "Europe/Amsterdam";
const db = createDb(process.env.DATABASE_URL as string, 2);
let emulator: AdminEmulator;
const admins = new Map<string, AdminClient>();

function adminOf(domain: string): AdminClient {
  const existing = admins.get(domain);
  if (existing) return existing;
  const shop = emulator.shop(domain);
  shop.grantedScopes = TEST_APP.scopes.split(",");
  const admin = createAdminClient({
    shop: domain,
    accessToken: shop.issueToken(TEST_APP.scopes, false).access_token,
    logger,
  });
  admins.set(domain, admin);
  return admin;
}

const dayIn = (at: Date) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);

/** The oracle: the signal bits of every customer with any, from the raw events. */
function expectedSignals(shop: EmulatedShop): Map<bigint, number> {
  const today = dayIn(new Date());
  const minus = (days: number) => {
    const d = new Date(`${today}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() - days);
    return d.toISOString().slice(0, 10);
  };
  const windows = [
    { bit: 1, kind: "clicked", days: 30 },
    { bit: 2, kind: "clicked", days: 90 },
    { bit: 4, kind: "clicked", days: 180 },
    { bit: 8, kind: "viewed", days: 30 },
    { bit: 16, kind: "viewed", days: 90 },
  ] as const;
  const out = new Map<bigint, number>();
  for (const c of shop.customers()) {
    const events = shop.engagementOf(c);
    let mask = 0;
    for (const w of windows) if (events[w.kind].some((e) => dayIn(e.at) > minus(w.days))) mask |= w.bit;
    if (mask) out.set(BigInt(c.id), mask);
  }
  return out;
}

beforeAll(async () => {
  emulator = await startAdminEmulator({
    app: TEST_APP,
    shops: [
      { domain: SHOP, name: "Signals", ianaTimezone: TZ, dataset: { customers: 800, orders: 2400 } },
      { domain: BARE, name: "Bare", engagementFilters: false, dataset: { customers: 30, orders: 60 } },
    ],
  });
  routeShopifyToEmulator(emulator.url);
  for (const shop of [SHOP, BARE]) await db.shop.create({ data: { shop, ianaTimezone: TZ, adminLocale: "en" } });
}, 60_000);

afterAll(async () => {
  await emulator?.close();
  await db.$disconnect();
});

describe("Shopify engagement signals", () => {
  it("GIVEN a shop with the event filters WHEN synced THEN every customer's windowed signals match the raw events", async () => {
    const outcome = await syncShopifyEngagement({ db, admin: adminOf(SHOP), logger }, SHOP, { pageSize: 50 });
    const expected = expectedSignals(emulator.shop(SHOP));
    expect(outcome).toMatchObject({ status: "synced", members: expected.size });
    // More than one page of one query: the paging is exercised.
    expect(outcome.status === "synced" && outcome.pages).toBeGreaterThan(10);
    const rows = await db.customerEngagementSignal.findMany({ where: { shop: SHOP } });
    expect(new Map(rows.map((r) => [r.customerId, r.signals]))).toEqual(expected);
    // Every bit occurs: each window was asked.
    for (const bit of [1, 2, 4, 8, 16]) expect(rows.some((r) => (r.signals & bit) !== 0)).toBe(true);
    const sync = await db.engagementSync.findUniqueOrThrow({ where: { shop: SHOP } });
    expect(sync).toMatchObject({ emailEvents: true, storefrontEvents: true, members: expected.size, error: null });
    // Paced on the bucket: nothing was answered THROTTLED.
    expect(emulator.log.filter((l) => l.shop === SHOP && l.throttled)).toEqual([]);
  }, 180_000);

  it("GIVEN a sync today WHEN the daily job runs again THEN nothing is paged; forced, a customer who stopped clicking loses the bit", async () => {
    const before = emulator.log.filter((l) => l.shop === SHOP).length;
    expect(await syncShopifyEngagement({ db, admin: adminOf(SHOP), logger }, SHOP)).toEqual({ status: "fresh" });
    expect(emulator.log.filter((l) => l.shop === SHOP).length).toBe(before);
    // A stale row from an earlier sync (a customer no query returns now) goes.
    await db.customerEngagementSignal.create({ data: { shop: SHOP, customerId: 1n, signals: 31, syncId: 1n } });
    // A new click today shows in the 30-day window.
    const shop = emulator.shop(SHOP);
    const quiet = [...shop.customers()].find((c) => !expectedSignals(shop).has(BigInt(c.id)));
    expect(quiet).toBeDefined();
    if (!quiet) return;
    shop.addEngagement(quiet.id, "clicked", new Date(), 5_240_000_001);
    await syncShopifyEngagement({ db, admin: adminOf(SHOP), logger }, SHOP, { force: true });
    const rows = await db.customerEngagementSignal.findMany({ where: { shop: SHOP } });
    expect(rows.find((r) => r.customerId === 1n)).toBeUndefined();
    expect(rows.find((r) => r.customerId === BigInt(quiet.id))?.signals).toBe(1 | 2 | 4);
  }, 180_000);

  it("GIVEN a shop without Shopify Email or storefront filters WHEN synced THEN no member query, the pixel stays the source", async () => {
    await db.customerEngagementSignal.create({ data: { shop: BARE, customerId: 5n, signals: 4, syncId: 1n } });
    expect(await syncShopifyEngagement({ db, admin: adminOf(BARE), logger }, BARE)).toEqual({ status: "no-filters" });
    expect(emulator.log.filter((l) => l.shop === BARE).map((l) => l.operationName)).toEqual(["RfmSegmentFilters"]);
    expect(await db.customerEngagementSignal.count({ where: { shop: BARE } })).toBe(0);
    expect(await db.engagementSync.findUniqueOrThrow({ where: { shop: BARE } })).toMatchObject({
      emailEvents: false,
      storefrontEvents: false,
      syncedAt: null,
    });
  });

  it("GIVEN storefront filters WHEN the Shopify segments sync THEN Browses often, never bought is a Shopify segment on them", async () => {
    const outcome = await syncShopifySegments({ db, admin: adminOf(SHOP), logger }, SHOP);
    expect(outcome.created).toBeGreaterThan(0);
    const segment = [...emulator.shop(SHOP).segments.values()].find(
      (x) => x.name === "RFM · Browses often, never bought",
    );
    expect(segment?.query).toBe("storefront_event.product_viewed MATCHES (date > -30d) AND number_of_orders = 0");
    // Its members in Shopify: customers with a product view in 30 days and no order (the emulator's raw data).
    const shop = emulator.shop(SHOP);
    const today = dayIn(new Date());
    const since = new Date(`${today}T00:00:00Z`);
    since.setUTCDate(since.getUTCDate() - 30);
    const expected = [...shop.customers()]
      .filter(
        (c) =>
          shop.ordersOf(c).filter((o) => !o.test && o.cancelledAt === null).length === 0 &&
          shop.engagementOf(c).viewed.some((v) => dayIn(v.at) > since.toISOString().slice(0, 10)),
      )
      .map((c) => BigInt(c.id));
    expect(expected.length).toBeGreaterThan(0);
    const members: bigint[] = [];
    let after: string | null = null;
    do {
      const page = await segmentMemberIdsPage(adminOf(SHOP), segment?.query ?? "", after, TZ, 250);
      members.push(...page.customerIds);
      after = page.next;
    } while (after !== null);
    expect(members).toEqual(expected);
    // A shop without the filters gets no such segment.
    await syncShopifySegments({ db, admin: adminOf(BARE), logger }, BARE);
    expect([...emulator.shop(BARE).segments.values()].some((x) => x.name.includes("Browses"))).toBe(false);
  }, 120_000);

  it("GIVEN the daily sweep WHEN a shop is due THEN the signals sync comes before the full run", () => {
    expect(FOLLOW_UPS.dailyRunDue().map((f) => f.job)).toEqual([JOB.engagementSync]);
    expect(FOLLOW_UPS.engagementSynced().map((f) => f.job)).toEqual([JOB.rfmScore]);
  });
});
