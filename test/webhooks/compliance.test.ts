import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { startDemoStack, DEMO_SHOP, type DemoStack } from "../demo/stack";
import { sendWebhook } from "../emulator/webhook-sender";
import { installAndBackfill } from "../support/install";
import { TEST_APP } from "../setup/test-app";
import { waitFor } from "../support/wait";
import { waitForInboxDrained } from "../support/inbox";
import { BROWSER_UA } from "../support/merchant";

const OTHER_SHOP = "other-webshop.myshopify.com";
let stack: DemoStack;
const db = createDb(process.env.DATABASE_URL as string, 2);

/** Sends a signed delivery; once it is answered 200 (in the inbox), waits until the app's worker applied it. */
async function deliver(
  topic: string,
  body: string | object,
  opts: { shop?: string; hmac?: string; webhookId?: string } = {},
) {
  const shop = opts.shop ?? DEMO_SHOP;
  const sent = await sendWebhook({
    url: `${stack.appUrl}/webhooks/${topic}`,
    secret: TEST_APP.secret,
    topic,
    shop,
    body,
    hmac: opts.hmac,
    webhookId: opts.webhookId,
  });
  if (sent.status === 200) await waitForInboxDrained(db, shop);
  return sent;
}

const dataRequest = (shop: string, customerId: number) => ({
  shop_id: 1,
  shop_domain: shop,
  orders_requested: [5_000_000_000_001, 5_000_000_000_002],
  customer: { id: customerId, email: `c${customerId}@example.com`, phone: "+31 6 1234 5678" },
  data_request: { id: 9999 },
});

/** Rows per table for a shop: every table with a shop column, found in the database itself (a new table is covered without edits). */
async function rowsFor(shop: string): Promise<Record<string, number>> {
  const tables = await db.$queryRawUnsafe<{ t: string }[]>(
    `SELECT table_name AS t FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'shop' ORDER BY 1`,
  );
  const rows: Record<string, number> = {};
  for (const { t } of tables) {
    const [r] = await db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${t}" WHERE shop = $1`,
      shop,
    );
    rows[t] = r?.n ?? 0;
  }
  return rows;
}

async function nothing(): Promise<Record<string, number>> {
  const rows = await rowsFor("");
  expect(Object.keys(rows)).toEqual(
    expect.arrayContaining([
      "CustomerScore",
      "SegmentMembership",
      "ScoringRun",
      "PendingRescore",
      "CustomerEngagement",
      "Order",
    ]),
  );
  return rows;
}

beforeAll(async () => {
  stack = await startDemoStack({
    databaseUrl: process.env.DATABASE_URL as string,
    dataset: { customers: 40, orders: 120 },
  });
  stack.emulator.addShop({ domain: OTHER_SHOP, name: "Other Webshop" });
  // Both shops install the app through the real auth path.
  // Both shops install; their backfills finish, so only the webhooks under test change rows.
  for (const shop of [DEMO_SHOP, OTHER_SHOP]) await installAndBackfill(stack, db, shop);
  await waitFor(
    "bulk_operations/finish deliveries",
    // Two per shop: the orders export and the customers export.
    async () => stack.emulator.deliveries.filter((d) => d.topic === "bulk_operations/finish").length === 4,
  );
  // And both shops are scored, so redaction has scores and history to erase.
  for (const shop of [DEMO_SHOP, OTHER_SHOP])
    await waitFor(`${shop} scored`, () =>
      db.scoringRun.findFirst({ where: { shop, kind: "full", finishedAt: { not: null } } }),
    );
}, 150_000);

afterAll(async () => {
  await stack?.stop();
  await db.$disconnect();
});

describe("compliance and lifecycle webhooks over real HTTP", () => {
  it("GIVEN an invalid HMAC WHEN any webhook arrives THEN 401 and nothing is written", async () => {
    const before = await rowsFor(DEMO_SHOP);
    for (const topic of [
      "customers/data_request",
      "customers/redact",
      "shop/redact",
      "app/uninstalled",
      "app/scopes_update",
    ]) {
      const body =
        topic === "customers/data_request"
          ? dataRequest(DEMO_SHOP, 1)
          : { shop_domain: DEMO_SHOP, customer: { id: 1 }, current: [] };
      const r = await deliver(topic, body, { hmac: "bm90IHRoZSByaWdodCBobWFj" });
      expect(r.status, topic).toBe(401);
    }
    expect(await rowsFor(DEMO_SHOP)).toEqual(before);
  });

  it("GIVEN customers/data_request THEN the request is recorded once, even when Shopify retries it", async () => {
    const first = await deliver("customers/data_request", dataRequest(DEMO_SHOP, 101));
    expect(first.status).toBe(200);
    const retry = await deliver("customers/data_request", dataRequest(DEMO_SHOP, 101), { webhookId: first.webhookId });
    expect(retry.status).toBe(200);
    expect((await deliver("customers/data_request", dataRequest(DEMO_SHOP, 102))).status).toBe(200);
    expect((await deliver("customers/data_request", dataRequest(OTHER_SHOP, 101), { shop: OTHER_SHOP })).status).toBe(
      200,
    );
    expect(await db.complianceRequest.count({ where: { shop: DEMO_SHOP, customerId: 101n } })).toBe(1);
    const row = await db.complianceRequest.findFirstOrThrow({ where: { shop: DEMO_SHOP, customerId: 101n } });
    expect(row.ordersRequested).toEqual([5_000_000_000_001n, 5_000_000_000_002n]);
  });

  it("GIVEN a data request for a buyer WHEN the merchant opens Data requests and downloads it THEN a JSON attachment of everything held on them", async () => {
    const buyer = await db.customerAggregate.findFirstOrThrow({
      where: { shop: DEMO_SHOP },
      orderBy: { orderCount: "desc" },
    });
    const sent = await deliver("customers/data_request", dataRequest(DEMO_SHOP, Number(buyer.customerId)));
    expect(sent.status).toBe(200);
    const token = stack.emulator.sessionToken(DEMO_SHOP);
    const headers = { Authorization: `Bearer ${token}`, "User-Agent": BROWSER_UA };
    const page = await fetch(`${stack.appUrl}/app/data-requests.data?_routes=routes%2Fapp.data-requests._index`, {
      headers,
    });
    expect(page.status).toBe(200);
    const listed = await page.text();
    expect(listed).toContain(sent.webhookId);
    expect(listed).toContain(String(buyer.customerId));

    const url = `${stack.appUrl}/app/data-requests/${encodeURIComponent(sent.webhookId)}/download`;
    const download = await fetch(url, { headers });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toMatch(/^application\/json/);
    expect(download.headers.get("content-disposition")).toMatch(
      /^attachment; filename="customer-\d+-data-request-.+\.json"$/,
    );
    const body = (await download.json()) as { customerId: string; tables: Record<string, { id?: string }[]> };
    expect(body.customerId).toBe(String(buyer.customerId));
    const orders = await db.order.findMany({ where: { shop: DEMO_SHOP, customerId: buyer.customerId } });
    expect(body.tables.Order?.map((o) => o.id).sort()).toEqual(orders.map((o) => String(o.id)).sort());
    expect(body.tables.CustomerAggregate).toHaveLength(1);
    expect(body.tables.CustomerScore).toHaveLength(1);
    expect((body.tables.OrderLine ?? []).length).toBeGreaterThan(0);

    // Another shop's merchant cannot fetch it; nor can a request without a session token.
    const otherToken = stack.emulator.sessionToken(OTHER_SHOP);
    const foreign = await fetch(url, { headers: { Authorization: `Bearer ${otherToken}`, "User-Agent": BROWSER_UA } });
    expect(foreign.status).toBe(404);
    const anonymous = await fetch(url, { headers: { "User-Agent": BROWSER_UA }, redirect: "manual" });
    expect(anonymous.status).not.toBe(200);
  });

  it("GIVEN malformed JSON, a wrong payload or a payload naming another shop THEN 400 and nothing is written", async () => {
    const before = await rowsFor(DEMO_SHOP);
    expect(
      (await deliver("customers/redact", '{"shop_domain": "rfm-demo.myshopify.com", "customer": {"id": 1')).status,
    ).toBe(400);
    expect((await deliver("customers/redact", { shop_domain: DEMO_SHOP, customer: { id: "drop table" } })).status).toBe(
      400,
    );
    expect((await deliver("shop/redact", { shop_domain: OTHER_SHOP })).status).toBe(400);
    expect(
      (
        await deliver(
          "customers/redact",
          { shop_domain: DEMO_SHOP, customer: { id: 101 } },
          { shop: "evil.myshopify.com" },
        )
      ).status,
    ).toBe(400);
    expect(await rowsFor(DEMO_SHOP)).toEqual(before);
    expect(await db.complianceRequest.count({ where: { shop: OTHER_SHOP } })).toBe(1);
  });

  it("GIVEN a payload over the size limit THEN 413 and nothing is written", async () => {
    const before = await rowsFor(DEMO_SHOP);
    const huge = { ...dataRequest(DEMO_SHOP, 103), padding: "x".repeat(1024 * 1024 + 10) };
    expect((await deliver("customers/data_request", huge)).status).toBe(413);
    expect(await rowsFor(DEMO_SHOP)).toEqual(before);
  });

  it("GIVEN customers/redact THEN that customer's rows go, other customers and shops keep theirs", async () => {
    const r = await deliver("customers/redact", {
      shop_id: 1,
      shop_domain: DEMO_SHOP,
      customer: { id: 101, email: "c101@example.com" },
      orders_to_redact: [5_000_000_000_001],
    });
    expect(r.status).toBe(200);
    expect(await db.complianceRequest.count({ where: { shop: DEMO_SHOP, customerId: 101n } })).toBe(0);
    expect(await db.complianceRequest.count({ where: { shop: DEMO_SHOP, customerId: 102n } })).toBe(1);
    expect(await db.complianceRequest.count({ where: { shop: OTHER_SHOP, customerId: 101n } })).toBe(1);
  });

  it("GIVEN customers/redact for a buyer THEN their orders, lines, refunds, aggregate and profile rows are gone", async () => {
    const buyer = await db.customerAggregate.findFirstOrThrow({
      where: { shop: DEMO_SHOP, refundCount: { gt: 0 } },
      orderBy: { orderCount: "desc" },
    });
    const customerId = buyer.customerId;
    expect(await db.customerScore.count({ where: { shop: DEMO_SHOP, customerId } })).toBe(1);
    const orderIds = (await db.order.findMany({ where: { shop: DEMO_SHOP, customerId }, select: { id: true } })).map(
      (o) => o.id,
    );
    expect(orderIds.length).toBeGreaterThan(0);
    const otherBefore = await db.order.count({ where: { shop: DEMO_SHOP, NOT: { customerId } } });
    const r = await deliver("customers/redact", {
      shop_id: 1,
      shop_domain: DEMO_SHOP,
      customer: { id: Number(customerId) },
      orders_to_redact: orderIds.map(Number),
    });
    expect(r.status).toBe(200);
    expect(await db.order.count({ where: { shop: DEMO_SHOP, customerId } })).toBe(0);
    expect(await db.orderLine.count({ where: { shop: DEMO_SHOP, orderId: { in: orderIds } } })).toBe(0);
    expect(await db.refund.count({ where: { shop: DEMO_SHOP, orderId: { in: orderIds } } })).toBe(0);
    expect(await db.customerAggregate.count({ where: { shop: DEMO_SHOP, customerId } })).toBe(0);
    expect(await db.customerScore.count({ where: { shop: DEMO_SHOP, customerId } })).toBe(0);
    expect(await db.segmentMembership.count({ where: { shop: DEMO_SHOP, customerId } })).toBe(0);
    expect(await db.customer.count({ where: { shop: DEMO_SHOP, id: customerId } })).toBe(0);
    expect(await db.order.count({ where: { shop: DEMO_SHOP, NOT: { customerId } } })).toBe(otherBefore);
  });

  it("GIVEN a shop we hold nothing for THEN 200 and no row is created for it", async () => {
    const unknown = "never-installed.myshopify.com";
    expect((await deliver("customers/data_request", dataRequest(unknown, 5), { shop: unknown })).status).toBe(200);
    expect((await deliver("shop/redact", { shop_id: 3, shop_domain: unknown }, { shop: unknown })).status).toBe(200);
    expect(await rowsFor(unknown)).toEqual(await nothing());
  });

  it("GIVEN app/scopes_update THEN the stored sessions carry the granted scopes", async () => {
    const r = await deliver("app/scopes_update", {
      id: 1,
      previous: ["read_orders"],
      current: ["read_orders", "read_customers"],
      updated_at: new Date().toISOString(),
    });
    expect(r.status).toBe(200);
    const session = await db.session.findFirstOrThrow({ where: { shop: DEMO_SHOP } });
    expect(session.scope).toBe("read_orders,read_customers");
  });

  it("GIVEN app/uninstalled THEN the shop's sessions are deleted and it is marked uninstalled", async () => {
    const r = await deliver("app/uninstalled", { id: 1, name: "Demo Webwinkel", myshopify_domain: DEMO_SHOP });
    expect(r.status).toBe(200);
    const rows = await rowsFor(DEMO_SHOP);
    expect(rows.Session).toBe(0);
    const shop = await db.shop.findUniqueOrThrow({ where: { shop: DEMO_SHOP } });
    expect(shop.uninstalledAt).not.toBeNull();
    expect((await rowsFor(OTHER_SHOP)).Session).toBe(1);
  });

  it("GIVEN shop/redact THEN every row of that shop is gone and the other shop is untouched", async () => {
    const other = await rowsFor(OTHER_SHOP);
    const r = await deliver("shop/redact", { shop_id: 1, shop_domain: DEMO_SHOP });
    expect(r.status).toBe(200);
    expect(await rowsFor(DEMO_SHOP)).toEqual(await nothing());
    expect(other.Order).toBeGreaterThan(0);
    expect(other.CustomerScore).toBeGreaterThan(0);
    expect(await rowsFor(OTHER_SHOP)).toEqual(other);
  });
});
