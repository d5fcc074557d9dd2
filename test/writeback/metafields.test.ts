import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { logger } from "../../app/platform/logger.server";
import { createAdminClient, type AdminClient } from "../../app/shopify/admin-client.server";
import { writeBackMetafields } from "../../app/pipeline/write-back/metafields.server";
import { SEGMENT_KEYS } from "../../app/domain/rfm/segments";
import { startAdminEmulator, type AdminEmulator } from "../emulator/server";
import { routeShopifyToEmulator } from "../emulator/shopify-origin-routing";
import { TEST_APP } from "../setup/test-app";

/** RFM metafields written to the emulator: definitions once, values only when they change. */

const SHOP = "metafields-test.myshopify.com";
const db = createDb(process.env.DATABASE_URL as string, 2);
let emulator: AdminEmulator;
let admin: AdminClient;
let clock = Date.now();
const sleep = async (ms: number) => {
  clock += ms;
};
const deps = () => ({ db, admin, logger, sleep, now: () => clock });
const valuesOf = (id: bigint) =>
  Object.fromEntries(emulator.shop(SHOP).customerMetafields.get(Number(id)) ?? new Map());
const requests = () => emulator.log.filter((l) => l.shop === SHOP).length;

beforeAll(async () => {
  emulator = await startAdminEmulator({
    app: TEST_APP,
    shops: [{ domain: SHOP, name: "Metafields", plan: "standard", dataset: { customers: 150, orders: 300, seed: 5 } }],
  });
  routeShopifyToEmulator(emulator.url);
  const shop = emulator.shop(SHOP);
  shop.grantedScopes = TEST_APP.scopes.split(",");
  shop.setRestoreRate(100, () => clock);
  admin = createAdminClient({
    shop: SHOP,
    accessToken: shop.issueToken(TEST_APP.scopes, false).access_token,
    logger,
    sleep,
  });
  await db.shop.create({ data: { shop: SHOP } });
  await db.customerScore.createMany({
    data: Array.from({ length: 120 }, (_, i) => ({
      shop: SHOP,
      customerId: BigInt(shop.dataset.customer(i).id),
      lastOrderDate: new Date("2026-11-01T00:00:00Z"),
      frequency: 1,
      monetary: "10",
      r: 1 + (i % 5),
      f: 1 + ((i * 3) % 5),
      m: 1 + ((i * 7) % 5),
      segment: SEGMENT_KEYS[i % 11] as string,
      segmentSince: new Date("2026-11-01T00:00:00Z"),
      behaviours: [],
      behaviourSince: [],
      scoredRunId: 1n,
    })),
  });
}, 60_000);

afterAll(async () => {
  await emulator?.close();
  await db.$disconnect();
});

describe("RFM metafields", () => {
  it("GIVEN 120 scored customers THEN definitions exist and each customer carries segment, R, F, M and the RFM code", async () => {
    const outcome = await writeBackMetafields(deps(), SHOP);
    expect(outcome).toMatchObject({ mode: "paced", customersChanged: 120, failures: [] });
    // 8 definitions + 24 metafieldsSet calls (5 customers × 5 metafields each: no bands yet) in 5 requests.
    expect(outcome.requests).toBe(8 + 5);
    expect(outcome.pointsSpent).toBe(80 + 240);
    expect([...emulator.shop(SHOP).metafieldDefinitions.keys()].sort()).toEqual([
      "rfm.expected_orders_365",
      "rfm.f_score",
      "rfm.m_score",
      "rfm.p_alive",
      "rfm.predicted_value_12m",
      "rfm.r_score",
      "rfm.rfm_code",
      "rfm.segment",
    ]);
    for (const s of await db.customerScore.findMany({ where: { shop: SHOP } }))
      expect(valuesOf(s.customerId)).toEqual({
        "rfm.segment": s.segment,
        "rfm.r_score": String(s.r),
        "rfm.f_score": String(s.f),
        "rfm.m_score": String(s.m),
        "rfm.rfm_code": `${s.r}${s.f}${s.m}`,
      });
  });

  it("GIVEN nothing changed THEN no call at all; GIVEN three customers changed THEN one request for them", async () => {
    const before = requests();
    expect((await writeBackMetafields(deps(), SHOP)).requests).toBe(0);
    expect(requests()).toBe(before);
    const some = await db.customerScore.findMany({ where: { shop: SHOP }, take: 3, orderBy: { customerId: "asc" } });
    await db.customerScore.updateMany({
      where: { shop: SHOP, customerId: { in: some.map((s) => s.customerId) } },
      data: { r: 5, segment: "champions" },
    });
    const outcome = await writeBackMetafields(deps(), SHOP);
    expect(outcome).toMatchObject({ customersChanged: 3, requests: 1, pointsSpent: 10 });
    for (const s of some) expect(valuesOf(s.customerId)["rfm.segment"]).toBe("champions");
  });

  it("GIVEN customers who are no longer scored THEN their RFM metafields are deleted, nothing else is written", async () => {
    const dropped = await db.customerScore.findMany({
      where: { shop: SHOP },
      take: 7,
      orderBy: { customerId: "desc" },
    });
    await db.customerScore.deleteMany({ where: { shop: SHOP, customerId: { in: dropped.map((d) => d.customerId) } } });
    const outcome = await writeBackMetafields(deps(), SHOP);
    expect(outcome).toMatchObject({ customersCleared: 7, customersChanged: 0, requests: 1, pointsSpent: 10 });
    for (const d of dropped) expect(valuesOf(d.customerId)).toEqual({});
    expect(
      await db.customerMetafieldState.count({
        where: { shop: SHOP, customerId: { in: dropped.map((d) => d.customerId) } },
      }),
    ).toBe(0);
    expect((await writeBackMetafields(deps(), SHOP)).requests).toBe(0);
  });

  it("GIVEN a large change set THEN one bulk metafieldsSet writes it", async () => {
    const moving = await db.customerScore.count({ where: { shop: SHOP, NOT: { f: 2 } } });
    await db.customerScore.updateMany({ where: { shop: SHOP }, data: { f: 2 } });
    const outcome = await writeBackMetafields(deps(), SHOP, { bulkThreshold: 10, pollMs: 50 });
    expect(outcome.mode).toBe("bulk");
    expect(outcome.failures).toEqual([]);
    expect(outcome.customersChanged).toBe(moving);
    for (const s of await db.customerScore.findMany({ where: { shop: SHOP } }))
      expect(valuesOf(s.customerId)["rfm.f_score"]).toBe("2");
    expect((await writeBackMetafields(deps(), SHOP)).requests).toBe(0);
  });
});
