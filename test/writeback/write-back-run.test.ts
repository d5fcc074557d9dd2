import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { logger } from "../../app/platform/logger.server";
import { createAdminClient, type AdminClient } from "../../app/shopify/admin-client.server";
import { runWriteBack } from "../../app/pipeline/write-back/write-back.server";
import { markWriteBackPendingSql, WANT_FULL_WRITE_BACK_SQL } from "../../app/pipeline/write-back/pending.server";
import { saveRfmSettings } from "../../app/settings/settings.server";
import { startAdminEmulator, type AdminEmulator } from "../emulator/server";
import { routeShopifyToEmulator } from "../emulator/shopify-origin-routing";
import { TEST_APP } from "../setup/test-app";

/** After a re-score only the customers it marked are compared; after anything shop-wide, everyone. */

const SHOP = "write-back-run.myshopify.com";
const db = createDb(process.env.DATABASE_URL as string, 2);
let emulator: AdminEmulator;
let admin: AdminClient;
const deps = () => ({ db, admin, logger });
const tagsOf = (id: bigint) => {
  const shop = emulator.shop(SHOP);
  const c = shop.customer(Number(id));
  if (!c) throw new Error(`no customer ${id}`);
  return shop.customerTagList(c);
};

beforeAll(async () => {
  emulator = await startAdminEmulator({
    app: TEST_APP,
    shops: [{ domain: SHOP, name: "Runs", plan: "plus", dataset: { customers: 60, orders: 100, seed: 4 } }],
  });
  routeShopifyToEmulator(emulator.url);
  const shop = emulator.shop(SHOP);
  shop.grantedScopes = TEST_APP.scopes.split(",");
  shop.echoTagWebhooks = false;
  admin = createAdminClient({ shop: SHOP, accessToken: shop.issueToken(TEST_APP.scopes, false).access_token, logger });
  await db.shop.create({ data: { shop: SHOP } });
  await db.customerScore.createMany({
    data: Array.from({ length: 50 }, (_, i) => ({
      shop: SHOP,
      customerId: BigInt(shop.dataset.customer(i).id),
      lastOrderDate: new Date("2026-11-01T00:00:00Z"),
      frequency: 1,
      monetary: "10",
      r: 2,
      f: 1,
      m: 1,
      segment: "hibernating",
      segmentSince: new Date("2026-11-01T00:00:00Z"),
      behaviours: [],
      behaviourSince: [],
      scoredRunId: 1n,
    })),
  });
}, 30_000);

afterAll(async () => {
  await emulator?.close();
  await db.$disconnect();
});

describe("write-back scope", () => {
  it("GIVEN the first write-back THEN every customer is compared and written", async () => {
    const outcome = await runWriteBack(deps(), SHOP);
    expect(outcome.scope).toBe("full");
    expect(outcome.tags.customersChanged).toBe(50);
    expect(outcome.metafields.customersChanged).toBe(50);
  });

  it("GIVEN three re-scored customers and one who lost their score THEN only they are looked at and written", async () => {
    const rows = await db.customerScore.findMany({ where: { shop: SHOP }, orderBy: { customerId: "asc" }, take: 4 });
    const [a, b, c, gone] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
    await db.customerScore.updateMany({
      where: { shop: SHOP, customerId: { in: [a.customerId, b.customerId, c.customerId] } },
      data: { segment: "champions", r: 5 },
    });
    await db.customerScore.delete({ where: { shop_customerId: { shop: SHOP, customerId: gone.customerId } } });
    // Marked as a scoring run marks what it changed or removed.
    await db.$executeRawUnsafe(
      markWriteBackPendingSql("SELECT unnest($2::bigint[])"),
      SHOP,
      [a, b, c, gone].map((x) => x.customerId),
    );
    // A change nothing marked is not looked at by a "changed" run…
    const untouched = (
      await db.customerScore.findMany({ where: { shop: SHOP }, orderBy: { customerId: "desc" }, take: 1 })
    )[0];
    if (!untouched) throw new Error("no row");
    await db.customerScore.update({
      where: { shop_customerId: { shop: SHOP, customerId: untouched.customerId } },
      data: { segment: "lost" },
    });
    const outcome = await runWriteBack(deps(), SHOP);
    expect(outcome.scope).toBe("changed");
    expect(outcome.tags.customersChanged).toBe(4);
    expect(outcome.metafields.customersChanged).toBe(3);
    expect(outcome.metafields.customersCleared).toBe(1);
    for (const x of [a, b, c]) expect(tagsOf(x.customerId)).toContain("rfm-champions");
    expect(tagsOf(gone.customerId).filter((t) => t.startsWith("rfm-") && t !== "rfm-manual")).toEqual([]);
    expect(tagsOf(untouched.customerId)).toContain("rfm-hibernating");
    expect(await db.writeBackPending.count({ where: { shop: SHOP } })).toBe(0);
    // …but scores written without marks (a shop's first scoring run) make the next one compare everyone.
    await db.$executeRawUnsafe(WANT_FULL_WRITE_BACK_SQL, SHOP);
    const full = await runWriteBack(deps(), SHOP);
    expect(full.scope).toBe("full");
    expect(full.tags.customersChanged).toBe(1);
    expect(tagsOf(untouched.customerId)).toContain("rfm-lost");
    expect((await runWriteBack(deps(), SHOP)).scope).toBe("changed");
  });

  it("GIVEN a settings change THEN everyone is compared again", async () => {
    expect((await runWriteBack(deps(), SHOP)).scope).toBe("changed");
    await saveRfmSettings(db, SHOP, { writeBack: { tagPrefix: "seg-" } });
    const outcome = await runWriteBack(deps(), SHOP);
    expect(outcome.scope).toBe("full");
    expect(outcome.tags.customersChanged).toBe(49);
  });
});
