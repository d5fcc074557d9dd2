import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { logger } from "../../app/platform/logger.server";
import { createAdminClient, type AdminClient } from "../../app/shopify/admin-client.server";
import { JOURNEY_BATCH, refreshOrderJourneys } from "../../app/pipeline/ingest/order-journeys.server";
import { formatCents, type GeneratedOrder } from "../emulator/generator";
import { startAdminEmulator, type AdminEmulator } from "../emulator/server";
import { routeShopifyToEmulator } from "../emulator/shopify-origin-routing";
import { TEST_APP } from "../setup/test-app";

/**
 * orders.journeys against the emulator: orders that only webhooks brought (no journey stored) are asked for by
 * nodes(ids:) in batches; what Shopify answers ready: false is asked again later and turns ready when Shopify's clock
 * has passed the journey's readyAt. The expected states are restated here from the raw generated journeys.
 */

const SHOP = "journeys-refresh.myshopify.com";
const DAY = 86_400_000;
const db = createDb(process.env.DATABASE_URL as string, 2);
let emulator: AdminEmulator;
let admin: AdminClient;
let orders: GeneratedOrder[] = [];

const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/** Shopify's journey of an order at `now`, as the app stores it. */
function expectedState(o: GeneratedOrder, now: number) {
  if (!o.journey) return { state: "none", source: null, campaign: null };
  if (now < o.journey.readyAt.getTime()) return { state: "pending", source: null, campaign: null };
  const visit = o.journey.firstVisit;
  return visit
    ? { state: "attributed", source: visit.source, campaign: visit.utm?.campaign ?? null }
    : { state: "no_visit", source: null, campaign: null };
}

async function stored() {
  const rows = await db.orderJourney.findMany({ where: { shop: SHOP } });
  return new Map(rows.map((r) => [Number(r.orderId), { state: r.state, source: r.source, campaign: r.utmCampaign }]));
}

beforeAll(async () => {
  const today = Date.now();
  emulator = await startAdminEmulator({
    app: TEST_APP,
    shops: [
      {
        domain: SHOP,
        name: "Journeys",
        // Six days of orders, so every one is within the give-up age.
        dataset: { customers: 150, orders: 320, from: isoDay(today - 6 * DAY), to: isoDay(today - DAY) },
      },
    ],
  });
  routeShopifyToEmulator(emulator.url);
  const shop = emulator.shop(SHOP);
  shop.grantedScopes = TEST_APP.scopes.split(",");
  admin = createAdminClient({ shop: SHOP, accessToken: shop.issueToken(TEST_APP.scopes, false).access_token, logger });
  orders = [...shop.orders()];
  await db.shop.create({ data: { shop: SHOP } });
  // As order webhooks store them: no journey.
  await db.order.createMany({
    data: orders.map((o) => ({
      shop: SHOP,
      id: BigInt(o.id),
      customerId: o.customerId === null ? null : BigInt(o.customerId),
      createdAt: o.createdAt,
      processedAt: o.processedAt,
      shopifyUpdatedAt: o.updatedAt,
      currency: o.shopCurrency,
      totalPrice: formatCents(o.totalCents),
      currentTotalPrice: formatCents(o.currentTotalCents),
      totalRefunded: formatCents(o.totalRefundedCents),
      discountCodes: o.discountCodes,
    })),
  });
}, 60_000);

afterAll(async () => {
  await emulator?.close();
  await db.$disconnect();
});

describe("orders.journeys", () => {
  it("GIVEN webhook-only orders WHEN asked while some journeys are not ready THEN each stores Shopify's answer, pending ones are asked again later and turn ready, a deleted order drops out", async () => {
    const shop = emulator.shop(SHOP);
    // Shopify's clock two days before the last order: the orders after it are not attributed yet.
    const early = Date.parse(`${isoDay(Date.now() - DAY)}T00:00:00Z`) - 2 * DAY;
    shop.clock = () => early;
    const gone = orders[5];
    if (!gone) throw new Error("too few orders");
    shop.deleteOrder(gone.id);
    const before = emulator.log.filter((l) => l.shop === SHOP).length;

    const first = await refreshOrderJourneys({ db, admin, logger }, SHOP);
    const kept = orders.filter((o) => o.id !== gone.id);
    expect(first.asked).toBe(orders.length);
    expect(first.stored).toBe(kept.length);
    // One nodes(ids:) request per batch of JOURNEY_BATCH, none throttled.
    const requests = emulator.log.filter((l) => l.shop === SHOP).slice(before);
    expect(requests).toHaveLength(Math.ceil(orders.length / JOURNEY_BATCH));
    expect(requests.every((r) => !r.throttled)).toBe(true);
    expect(await stored()).toEqual(new Map(kept.map((o) => [o.id, expectedState(o, early)])));
    const pendingEarly = kept.filter((o) => expectedState(o, early).state === "pending").length;
    expect(pendingEarly).toBeGreaterThan(20);
    // The deleted order has no journey, so it still counts as waiting (it is not deleted in the app's database).
    expect(first.pending).toBe(pendingEarly + 1);

    // Asked again at once: nothing is due (pending ones wait JOURNEY_RECHECK_MINUTES).
    expect((await refreshOrderJourneys({ db, admin, logger }, SHOP)).stored).toBe(0);

    // A week later on Shopify's side, an hour later on ours: every pending one is ready now.
    const late = Date.now() + 7 * DAY;
    shop.clock = () => late;
    const second = await refreshOrderJourneys({ db, admin, logger }, SHOP, new Date(Date.now() + 3_600_000));
    expect(second.asked).toBe(pendingEarly + 1);
    expect(second.stored).toBe(pendingEarly);
    expect(second.pending).toBe(1);
    expect(await stored()).toEqual(new Map(kept.map((o) => [o.id, expectedState(o, late)])));
    const states = new Set([...(await stored()).values()].map((s) => s.state));
    expect([...states].sort()).toEqual(["attributed", "no_visit", "none"]);
  });
});
