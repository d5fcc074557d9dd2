import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { logger } from "../../app/platform/logger.server";
import { createAdminClient, type AdminClient } from "../../app/shopify/admin-client.server";
import { runWriteBack } from "../../app/pipeline/write-back/write-back.server";
import { recordAppDataRemoval, removeAppData } from "../../app/pipeline/write-back/remove-app-data.server";
import { METAFIELD_NAMESPACE } from "../../app/pipeline/write-back/metafields.server";
import { segmentCreate } from "../../app/shopify/segments.server";
import { loadShopifyPage } from "../../app/pages/shopify/shopify-page.server";
import { loadRfmSettings, saveRfmSettings } from "../../app/settings/settings.server";
import { startAdminEmulator, type AdminEmulator } from "../emulator/server";
import { routeShopifyToEmulator } from "../emulator/shopify-origin-routing";
import { TEST_APP } from "../setup/test-app";

/**
 * "Remove everything the app wrote" against the emulator over real HTTP:
 * afterwards Shopify holds none of the app's tags, RFM metafields or
 * segments, the merchant's own tags and segment stay, and the request row says
 * what was removed. Writing to Shopify again puts it all back.
 */

const SHOP = "remove-app-data.myshopify.com";
const SCORED = 40;
const db = createDb(process.env.DATABASE_URL as string, 2);
let emulator: AdminEmulator;
let admin: AdminClient;
const deps = () => ({ db, admin, logger });
const merchantTags = new Map<number, string[]>();
const shop = () => emulator.shop(SHOP);
const ids = () => [...merchantTags.keys()];
const tagsOf = (id: number) => {
  const c = shop().customer(id);
  if (!c) throw new Error(`no customer ${id}`);
  return shop().customerTagList(c);
};
/** Tags the app wrote: its prefix and a segment or behaviour name (the merchant's "rfm-manual" is theirs). */
const appTags = (id: number) => tagsOf(id).filter((t) => t.startsWith("rfm-") && t !== "rfm-manual");
const rfmMetafields = () =>
  [...shop().customerMetafields.values()].flatMap((m) =>
    [...m.keys()].filter((k) => k.startsWith(`${METAFIELD_NAMESPACE}.`)),
  );
const appSegments = () => [...shop().segments.values()].filter((s) => s.name.startsWith("RFM · "));
const page = () => new Request("https://rfm.example/app/shopify");

beforeAll(async () => {
  emulator = await startAdminEmulator({
    app: TEST_APP,
    shops: [{ domain: SHOP, name: "Removal", plan: "plus", dataset: { customers: 60, orders: 120, seed: 11 } }],
  });
  routeShopifyToEmulator(emulator.url);
  shop().grantedScopes = TEST_APP.scopes.split(",");
  shop().echoTagWebhooks = false;
  admin = createAdminClient({
    shop: SHOP,
    accessToken: shop().issueToken(TEST_APP.scopes, false).access_token,
    logger,
  });
  await db.shop.create({ data: { shop: SHOP } });
  const segments = ["champions", "loyal", "at_risk", "lost"] as const;
  const rows = Array.from({ length: SCORED }, (_, i) => {
    const c = shop().dataset.customer(i);
    merchantTags.set(c.id, [...shop().customerTagList(c)]);
    return {
      shop: SHOP,
      customerId: BigInt(c.id),
      lastOrderDate: new Date("2026-11-01T00:00:00Z"),
      frequency: 2,
      monetary: "50",
      r: 4,
      f: 2,
      m: 3,
      segment: segments[i % segments.length] as string,
      segmentSince: new Date("2026-11-01T00:00:00Z"),
      behaviours: i % 4 === 0 ? ["vip_top_5"] : [],
      behaviourSince: [],
      scoredRunId: 1n,
    };
  });
  await db.customerScore.createMany({ data: rows });
  await saveRfmSettings(db, SHOP, { writeBack: { behaviourTags: ["vip_top_5"] } });
  // The merchant's own segment, on a tag of theirs: removal must leave it.
  await segmentCreate(admin, "VIP list (merchant)", "customer_tags CONTAINS 'vip'");
}, 60_000);

afterAll(async () => {
  await emulator?.close();
  await db.$disconnect();
});

describe("removing everything the app wrote", () => {
  it("GIVEN tags, metafields and segments written THEN after removal Shopify holds none of them, the merchant's tags and segment stay, and the page says what went", async () => {
    await runWriteBack(deps(), SHOP);
    expect(ids().every((id) => appTags(id).length > 0)).toBe(true);
    expect(rfmMetafields()).toHaveLength(SCORED * 5);
    const segmentsBefore = appSegments().length;
    expect(segmentsBefore).toBeGreaterThan(4);
    const tagsBefore = ids().reduce((n, id) => n + appTags(id).length, 0);

    const before = await loadShopifyPage(db, SHOP, page());
    expect(before.footprint).toEqual({ tagCustomers: SCORED, metafieldCustomers: SCORED, segments: segmentsBefore });

    const removalId = await recordAppDataRemoval(db, SHOP);
    expect((await loadRfmSettings(db, SHOP)).writeBack.enabled).toBe(false);
    // A second click while the first waits joins it: one request, one job.
    expect(await recordAppDataRemoval(db, SHOP)).toBe(removalId);
    const queued = await loadShopifyPage(db, SHOP, page());
    expect(queued.removal).toMatchObject({ kind: "queued" });

    const removed = await removeAppData(deps(), SHOP, removalId);
    expect(removed).toEqual({
      tagsRemoved: tagsBefore,
      tagCustomers: SCORED,
      metafieldsRemoved: SCORED * 5,
      segmentsRemoved: segmentsBefore,
      refused: 0,
    });
    for (const id of ids()) {
      expect(appTags(id), `customer ${id}`).toEqual([]);
      expect(tagsOf(id).sort(), `customer ${id} keeps their own tags`).toEqual(
        [...(merchantTags.get(id) ?? [])].sort(),
      );
    }
    expect(rfmMetafields()).toEqual([]);
    expect(appSegments()).toEqual([]);
    expect([...shop().segments.values()].map((s) => s.name)).toEqual(["VIP list (merchant)"]);

    const after = await loadShopifyPage(db, SHOP, page());
    expect(after.footprint).toEqual({ tagCustomers: 0, metafieldCustomers: 0, segments: 0 });
    expect(after.removal).toMatchObject({
      kind: "done",
      tags: tagsBefore,
      customers: SCORED,
      metafields: SCORED * 5,
      segments: segmentsBefore,
      refused: 0,
    });
    // Later write-backs (a daily run, a webhook) write nothing while it stays off.
    const later = await runWriteBack(deps(), SHOP);
    expect(later.tags.mutations + later.metafields.customersChanged + later.segments.created).toBe(0);
    expect(rfmMetafields()).toEqual([]);
  }, 60_000);

  it("GIVEN write-back switched on again THEN the next write-back puts tags, metafields and segments back", async () => {
    const settings = await loadRfmSettings(db, SHOP);
    await saveRfmSettings(db, SHOP, { ...settings, writeBack: { ...settings.writeBack, enabled: true } });
    expect((await loadShopifyPage(db, SHOP, page())).removal).toBeNull();
    await runWriteBack(deps(), SHOP);
    expect(ids().every((id) => appTags(id).length > 0)).toBe(true);
    expect(rfmMetafields()).toHaveLength(SCORED * 5);
    expect(appSegments().length).toBeGreaterThan(4);
  }, 60_000);

  it("GIVEN write-back switched on again before the job ran THEN the job removes nothing", async () => {
    const removalId = await recordAppDataRemoval(db, SHOP);
    const settings = await loadRfmSettings(db, SHOP);
    await saveRfmSettings(db, SHOP, { ...settings, writeBack: { ...settings.writeBack, enabled: true } });
    expect(await removeAppData(deps(), SHOP, removalId)).toBeNull();
    expect(ids().every((id) => appTags(id).length > 0)).toBe(true);
    expect(rfmMetafields()).toHaveLength(SCORED * 5);
  }, 60_000);
});
