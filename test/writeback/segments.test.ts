import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { logger } from "../../app/platform/logger.server";
import { createAdminClient, type AdminClient } from "../../app/shopify/admin-client.server";
import { AdminUserErrors } from "../../app/shopify/admin-errors.server";
import {
  createSegmentDiscount,
  SegmentDiscountRequest,
  SegmentNotSyncedError,
  syncShopifySegments,
} from "../../app/pipeline/write-back/shopify-segments.server";
import { saveRfmSettings } from "../../app/settings/settings.server";
import { startAdminEmulator, type AdminEmulator } from "../emulator/server";
import { routeShopifyToEmulator } from "../emulator/shopify-origin-routing";
import { TEST_APP } from "../setup/test-app";

/** Shopify customer segments for the app's segments, and segment-only discount codes, against the emulator. */

const SHOP = "segments-test.myshopify.com";
const db = createDb(process.env.DATABASE_URL as string, 2);
let emulator: AdminEmulator;
let admin: AdminClient;
const deps = () => ({ db, admin, logger });
const segmentsInShopify = () => [...emulator.shop(SHOP).segments.values()];
const calls = () => emulator.log.filter((l) => l.shop === SHOP).length;

beforeAll(async () => {
  emulator = await startAdminEmulator({
    app: TEST_APP,
    shops: [{ domain: SHOP, name: "Segments", dataset: { customers: 20, orders: 40 } }],
  });
  routeShopifyToEmulator(emulator.url);
  const shop = emulator.shop(SHOP);
  shop.grantedScopes = TEST_APP.scopes.split(",");
  admin = createAdminClient({ shop: SHOP, accessToken: shop.issueToken(TEST_APP.scopes, false).access_token, logger });
  await db.shop.create({ data: { shop: SHOP, adminLocale: "nl" } });
  // A storefront visit: lost but engaged can have customers, so it gets its Shopify segment too.
  await db.customerEngagement.create({ data: { shop: SHOP, customerId: 1n, lastVisitAt: new Date() } });
}, 30_000);

afterAll(async () => {
  await emulator?.close();
  await db.$disconnect();
});

describe("Shopify customer segments", () => {
  it("GIVEN a Dutch admin THEN one segment per RFM segment and one for the browsers, named in Dutch, filtering on the app's tag", async () => {
    expect(await syncShopifySegments(deps(), SHOP)).toEqual({ created: 13, updated: 0, unchanged: 0, deleted: 0 });
    const champions = segmentsInShopify().find((s) => s.name === "RFM · Topklanten");
    expect(champions?.query).toBe("customer_tags CONTAINS 'rfm-champions'");
    expect(segmentsInShopify().map((s) => s.name)).toContain("RFM · Verloren maar betrokken");
    // No storefront filters in this shop: the browsers' segment is on the tag the pixel's visit days earn.
    expect(segmentsInShopify().find((s) => s.query === "customer_tags CONTAINS 'rfm-browsing'")?.name).toMatch(
      /^RFM · /,
    );
    const stored = await db.shopifySegment.findUniqueOrThrow({ where: { shop_key: { shop: SHOP, key: "champions" } } });
    expect(stored.segmentId).toBe(champions?.id);
  });

  it("GIVEN nothing changed THEN no call; GIVEN a rename and a VIP tag THEN one update and one new segment", async () => {
    const before = calls();
    expect(await syncShopifySegments(deps(), SHOP)).toEqual({ created: 0, updated: 0, unchanged: 13, deleted: 0 });
    expect(calls()).toBe(before);
    await saveRfmSettings(db, SHOP, {
      names: { champions: "Onze helden" },
      writeBack: { behaviourTags: ["vip_top_5"] },
    });
    expect(await syncShopifySegments(deps(), SHOP)).toEqual({ created: 1, updated: 1, unchanged: 12, deleted: 0 });
    expect(segmentsInShopify().map((s) => s.name)).toEqual(
      expect.arrayContaining(["RFM · Onze helden", "RFM · VIP top 5%"]),
    );
    expect(segmentsInShopify().find((s) => s.name === "RFM · VIP top 5%")?.query).toBe(
      "customer_tags CONTAINS 'rfm-vip-top-5'",
    );
  });

  it("GIVEN a new tag prefix THEN every segment's query follows it, ids unchanged", async () => {
    const ids = segmentsInShopify()
      .map((s) => s.id)
      .sort();
    await saveRfmSettings(db, SHOP, {
      names: { champions: "Onze helden" },
      writeBack: { tagPrefix: "seg-", behaviourTags: ["vip_top_5"] },
    });
    expect(await syncShopifySegments(deps(), SHOP)).toEqual({ created: 0, updated: 14, unchanged: 0, deleted: 0 });
    expect(
      segmentsInShopify()
        .map((s) => s.id)
        .sort(),
    ).toEqual(ids);
    expect(segmentsInShopify().every((s) => s.query.startsWith("customer_tags CONTAINS 'seg-"))).toBe(true);
  });

  it("GIVEN a behaviour tag switched off THEN its Shopify segment is deleted too", async () => {
    await saveRfmSettings(db, SHOP, {
      names: { champions: "Onze helden" },
      writeBack: { tagPrefix: "seg-", behaviourTags: [] },
    });
    expect(await syncShopifySegments(deps(), SHOP)).toEqual({ created: 0, updated: 0, unchanged: 13, deleted: 1 });
    expect(segmentsInShopify().map((s) => s.name)).not.toContain("RFM · VIP top 5%");
    await saveRfmSettings(db, SHOP, {
      names: { champions: "Onze helden" },
      writeBack: { tagPrefix: "seg-", behaviourTags: ["vip_top_5"] },
    });
    expect(await syncShopifySegments(deps(), SHOP)).toEqual({ created: 1, updated: 0, unchanged: 13, deleted: 0 });
  });

  it("GIVEN a reinstall that lost our records THEN the existing segments are adopted, not duplicated", async () => {
    await db.shopifySegment.deleteMany({ where: { shop: SHOP } });
    const outcome = await syncShopifySegments(deps(), SHOP);
    expect(outcome).toEqual({ created: 0, updated: 14, unchanged: 0, deleted: 0 });
    expect(segmentsInShopify()).toHaveLength(14);
  });
});

describe("segment-only discount codes", () => {
  const request = (over: Partial<SegmentDiscountRequest> = {}) =>
    SegmentDiscountRequest.parse({
      segmentKey: "at_risk",
      title: "Kom terug",
      code: "TERUG15",
      kind: "percentage",
      value: 15,
      endsAt: "2026-12-31T23:59:59Z",
      ...over,
    });

  it("GIVEN a percentage discount for At risk THEN only that Shopify segment can use it", async () => {
    const { id } = await createSegmentDiscount(deps(), SHOP, request());
    const discount = emulator.shop(SHOP).discounts.get(id);
    const segment = await db.shopifySegment.findUniqueOrThrow({ where: { shop_key: { shop: SHOP, key: "at_risk" } } });
    expect(discount).toMatchObject({
      code: "TERUG15",
      percentage: 0.15,
      segmentIds: [segment.segmentId],
      endsAt: "2026-12-31T23:59:59.000Z",
    });
  });

  it("GIVEN a fixed amount THEN it is sent as a money amount", async () => {
    const { id } = await createSegmentDiscount(
      deps(),
      SHOP,
      request({ code: "VIP10", kind: "fixed_amount", value: 10, segmentKey: "vip_top_5" }),
    );
    expect(emulator.shop(SHOP).discounts.get(id)).toMatchObject({ amount: "10.00", percentage: null });
  });

  it("GIVEN a code Shopify already has, or an end before the start THEN Shopify's own message comes back", async () => {
    const duplicate = createSegmentDiscount(deps(), SHOP, request());
    await expect(duplicate).rejects.toThrow(AdminUserErrors);
    await expect(duplicate).rejects.toThrow("Code must be unique. Please try a different code.");
    await expect(
      createSegmentDiscount(deps(), SHOP, request({ code: "OLD1" }), new Date("2027-06-01T00:00:00Z")),
    ).rejects.toThrow("Ends at needs to be after starts_at");
  });

  it("GIVEN bad input THEN it is refused before Shopify; GIVEN a segment not in Shopify THEN a clear error", async () => {
    expect(
      SegmentDiscountRequest.safeParse({
        segmentKey: "at_risk",
        title: "x",
        code: "X Y",
        kind: "percentage",
        value: 150,
      }).success,
    ).toBe(false);
    await expect(
      createSegmentDiscount(deps(), SHOP, request({ segmentKey: "coupon_shopper", code: "COUPON5" })),
    ).rejects.toThrow(SegmentNotSyncedError);
  });
});
