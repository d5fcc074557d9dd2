import "@shopify/shopify-api/adapters/web-api";
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import express from "express";
import pg from "pg";
import pino from "pino";
import { ApiVersion, shopifyApi, WebhookValidationErrorReason } from "@shopify/shopify-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { webhookFastPath } from "../../app/platform/server/webhook-fast-path.server";
import { verifyWebhookSignature } from "../../app/shopify/webhook-signature.server";
import { WEBHOOK_TOPICS } from "../../app/pipeline/ingest/webhook-topics.server";
import { createInboxWriter, type InboxWriter } from "../../app/pipeline/ingest/inbox/inbox-writer.server";
import { createKnownShops } from "../../app/pipeline/ingest/inbox/known-shops.server";
import { receiveDelivery } from "../../app/pipeline/ingest/inbox/receive.server";
import { ShopDataset } from "../emulator/generator";
import { customerPayload, orderPayload, refundPayload } from "../emulator/shapes";

/**
 * The request path of a webhook: verified as authenticate.webhook does (held against @shopify/shopify-api's own
 * webhooks.validate on the same requests), then one row in the inbox on the test database, over real HTTP through
 * the fast path the web server mounts before Remix.
 */

const SECRET = "inbox-receive-secret";
const SHOP = "inbox-receive.myshopify.com";
const db = createDb(process.env.DATABASE_URL as string, 2);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
const logger = pino({ level: "silent" });
const data = new ShopDataset({
  seed: 5,
  customers: 20,
  orders: 60,
  currency: "EUR",
  from: "2025-01-01",
  to: "2026-11-01",
});
const anOrder = [...data.orders()].find((o) => o.customerId !== null && o.refunds.length > 0);
if (!anOrder) throw new Error("dataset without a refunded order");
const order = anOrder;

let statements = 0;
let failWrites = false;
const inbox = createInboxWriter({
  client: {
    query: (config) => {
      statements++;
      if (failWrites) return Promise.reject(new Error("injected: database unavailable"));
      return pool.query(config);
    },
  },
});
const writer: InboxWriter = inbox;
let server: Server;
let url = "";

beforeAll(async () => {
  await db.shop.create({ data: { shop: SHOP } });
  const app = express();
  app.use(
    webhookFastPath({
      topics: new Set(Object.keys(WEBHOOK_TOPICS)),
      maxBytes: 64 * 1024,
      receive: (webhook) =>
        receiveDelivery(webhook, {
          secret: SECRET,
          topics: WEBHOOK_TOPICS,
          knownShops: createKnownShops({
            lookup: async (shop) => (await db.shop.count({ where: { shop } })) > 0,
            unknownTtlMs: 0,
          }),
          writer,
          logger,
        }),
    }),
  );
  app.use((_req, res) => res.status(418).end("reached Remix"));
  server = createServer(app);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await pool.end();
  await db.$disconnect();
});

beforeEach(() => {
  failWrites = false;
});

let counter = 0;
function headersFor(topic: string, body: string, extra: Record<string, string | null> = {}): Record<string, string> {
  const all: Record<string, string | null> = {
    "content-type": "application/json",
    "x-shopify-topic": topic,
    "x-shopify-hmac-sha256": createHmac("sha256", SECRET).update(body).digest("base64"),
    "x-shopify-shop-domain": SHOP,
    "x-shopify-api-version": "2026-10",
    "x-shopify-webhook-id": `wh-${process.pid}-${counter++}`,
    "x-shopify-event-id": `ev-${process.pid}-${counter++}`,
    "x-shopify-triggered-at": new Date().toISOString(),
    ...extra,
  };
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== null));
}

async function post(path: string, body: string, headers: Record<string, string>) {
  const response = await fetch(`${url}${path}`, { method: "POST", body, headers });
  return { status: response.status, text: await response.text() };
}

describe("the signature check, held against @shopify/shopify-api's webhooks.validate", () => {
  const api = shopifyApi({
    apiKey: "key",
    apiSecretKey: SECRET,
    hostName: "app.example.com",
    apiVersion: ApiVersion.October25,
    isEmbeddedApp: true,
    logger: { level: 0, log: async () => undefined },
  });
  const body = JSON.stringify({ id: 1, updated_at: "2026-11-30T10:00:00Z" });
  const cases: [string, string, Record<string, string | null>][] = [
    ["a valid delivery", body, {}],
    [
      "an HMAC of another body",
      body,
      { "x-shopify-hmac-sha256": createHmac("sha256", SECRET).update("{}").digest("base64") },
    ],
    [
      "an HMAC with another secret",
      body,
      { "x-shopify-hmac-sha256": createHmac("sha256", "x").update(body).digest("base64") },
    ],
    ["an HMAC that is not base64", body, { "x-shopify-hmac-sha256": "not base64 at all!" }],
    [
      "a truncated HMAC",
      body,
      { "x-shopify-hmac-sha256": createHmac("sha256", SECRET).update(body).digest("base64").slice(0, 20) },
    ],
    ["no HMAC", body, { "x-shopify-hmac-sha256": null }],
    ["an empty body", "", {}],
    ["no topic", body, { "x-shopify-topic": null }],
    ["no shop", body, { "x-shopify-shop-domain": null }],
    ["no API version", body, { "x-shopify-api-version": null }],
    ["no webhook id", body, { "x-shopify-webhook-id": null }],
    ["no event id (optional)", body, { "x-shopify-event-id": null }],
  ];
  it.each(cases)("GIVEN %s THEN both give the same verdict", async (_name, raw, extra) => {
    const headers = headersFor("customers/update", raw, extra);
    const library = await api.webhooks.validate({
      rawBody: raw,
      rawRequest: new Request("https://app.example.com/webhooks/customers/update", {
        method: "POST",
        headers,
        body: raw,
      }),
    });
    // authenticate.webhook: InvalidHmac → 401, any other failure → 400.
    const expected = library.valid ? 200 : library.reason === WebhookValidationErrorReason.InvalidHmac ? 401 : 400;
    const ours = verifyWebhookSignature(SECRET, Buffer.from(raw), (name) => headers[name]);
    expect(ours.ok ? 200 : ours.status).toBe(expected);
    if (ours.ok && library.valid) {
      expect(ours.headers).toMatchObject({
        shop: library.domain,
        apiVersion: library.apiVersion,
        webhookId: library.webhookId,
        eventId: "eventId" in library ? (library.eventId ?? null) : null,
      });
    }
  });
});

describe("receiving a webhook into the inbox", () => {
  it("GIVEN a signed orders/create THEN 200, one inbox row with the exact body, the headers without the HMAC and the order and customer it is about", async () => {
    const body = JSON.stringify(orderPayload(order));
    const headers = headersFor("orders/create", body);
    expect((await post("/webhooks/orders/create", body, headers)).status).toBe(200);
    const row = await db.webhookInbox.findUniqueOrThrow({
      where: { shop_webhookId: { shop: SHOP, webhookId: headers["x-shopify-webhook-id"] ?? "" } },
    });
    expect(row).toMatchObject({
      topic: "orders/create",
      body,
      eventId: headers["x-shopify-event-id"],
      orderId: BigInt(order.id),
      customerId: BigInt(order.customerId ?? 0),
      appliedAt: null,
    });
    expect(row.headers).toMatchObject({ "x-shopify-topic": "orders/create", "x-shopify-shop-domain": SHOP });
    expect(row.headers).not.toHaveProperty("x-shopify-hmac-sha256");
  });

  it("GIVEN a wrong HMAC THEN 401 and nothing is written", async () => {
    const before = await db.webhookInbox.count();
    const body = JSON.stringify(orderPayload(order));
    const r = await post("/webhooks/orders/create", body, headersFor("orders/create", `${body} `));
    expect(r.status).toBe(401);
    expect(await db.webhookInbox.count()).toBe(before);
  });

  it("GIVEN malformed JSON, a payload the schema refuses, or a topic of another endpoint THEN 400 and nothing is written", async () => {
    const before = await db.webhookInbox.count();
    const bad = "{not json";
    expect((await post("/webhooks/orders/create", bad, headersFor("orders/create", bad))).status).toBe(400);
    const invalid = JSON.stringify({ id: "abc" });
    const r = await post("/webhooks/orders/create", invalid, headersFor("orders/create", invalid));
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/^Invalid payload: /);
    const body = JSON.stringify(orderPayload(order));
    expect((await post("/webhooks/orders/updated", body, headersFor("orders/create", body))).status).toBe(400);
    expect(await db.webhookInbox.count()).toBe(before);
  });

  it("GIVEN a payload larger than the cap THEN 413, the connection closes and nothing is written", async () => {
    const before = await db.webhookInbox.count();
    const body = JSON.stringify({ ...orderPayload(order), note: "x".repeat(70 * 1024) });
    const response = await fetch(`${url}/webhooks/orders/create`, {
      method: "POST",
      body,
      headers: headersFor("orders/create", body),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get("connection")).toBe("close");
    expect(await db.webhookInbox.count()).toBe(before);
  });

  it("GIVEN an unknown shop THEN an order webhook is 404, a compliance webhook 200, and neither writes", async () => {
    const before = await db.webhookInbox.count();
    const stranger = "stranger-inbox.myshopify.com";
    const body = JSON.stringify(orderPayload(order));
    const r = await post(
      "/webhooks/orders/create",
      body,
      headersFor("orders/create", body, { "x-shopify-shop-domain": stranger }),
    );
    expect(r.status).toBe(404);
    const redact = JSON.stringify({ shop_id: 1, shop_domain: stranger });
    const g = await post(
      "/webhooks/shop/redact",
      redact,
      headersFor("shop/redact", redact, { "x-shopify-shop-domain": stranger }),
    );
    expect(g.status).toBe(200);
    expect(await db.webhookInbox.count()).toBe(before);
  });

  it("GIVEN a payload that names another shop than the signed header THEN 400", async () => {
    const body = JSON.stringify({ shop_id: 1, shop_domain: "other.myshopify.com" });
    expect((await post("/webhooks/shop/redact", body, headersFor("shop/redact", body))).status).toBe(400);
  });

  it("GIVEN the same delivery twice, and one event under two webhook ids THEN each is stored once and every copy answered 200", async () => {
    const body = JSON.stringify(orderPayload(order));
    const first = headersFor("orders/updated", body);
    expect((await post("/webhooks/orders/updated", body, first)).status).toBe(200);
    expect((await post("/webhooks/orders/updated", body, first)).status).toBe(200);
    const sameEvent = { ...first, "x-shopify-webhook-id": `${first["x-shopify-webhook-id"]}-second-subscription` };
    expect((await post("/webhooks/orders/updated", body, sameEvent)).status).toBe(200);
    expect(await db.webhookInbox.count({ where: { shop: SHOP, eventId: first["x-shopify-event-id"] } })).toBe(1);
  });

  it("GIVEN both payload shapes (full and include_fields-trimmed) THEN both are accepted", async () => {
    const customer = data.customer(0);
    const full = customerPayload(customer, new Date(), customer.tags);
    const trimmed = { id: full.id, email: full.email, updated_at: full.updated_at, tags: full.tags };
    for (const payload of [full, trimmed]) {
      const body = JSON.stringify(payload);
      expect((await post("/webhooks/customers/update", body, headersFor("customers/update", body))).status).toBe(200);
    }
    const refund = order.refunds[0];
    if (!refund) throw new Error("no refund");
    const body = JSON.stringify(refundPayload(order, refund));
    expect((await post("/webhooks/refunds/create", body, headersFor("refunds/create", body))).status).toBe(200);
  });

  it("GIVEN the inbox write fails THEN 503 (Shopify retries) and nothing is stored", async () => {
    failWrites = true;
    const body = JSON.stringify(orderPayload(order));
    const headers = headersFor("orders/create", body);
    expect((await post("/webhooks/orders/create", body, headers)).status).toBe(503);
    failWrites = false;
    expect(await db.webhookInbox.count({ where: { shop: SHOP, webhookId: headers["x-shopify-webhook-id"] } })).toBe(0);
  });

  it("GIVEN 200 concurrent deliveries over HTTP THEN every one is stored", async () => {
    const ids: string[] = [];
    const statuses = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const body = JSON.stringify(orderPayload({ ...order, id: 800_000_000 + i }));
        const headers = headersFor("orders/create", body);
        ids.push(headers["x-shopify-webhook-id"] ?? "");
        return (await post("/webhooks/orders/create", body, headers)).status;
      }),
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(await db.webhookInbox.count({ where: { shop: SHOP, webhookId: { in: ids } } })).toBe(200);
  });

  it("GIVEN deliveries that arrive while a statement is in flight THEN they go together in the next one, in arrival order", async () => {
    const before = statements;
    const rows = Array.from({ length: 300 }, (_, i) => ({
      shop: SHOP,
      webhookId: `group-${process.pid}-${i}`,
      topic: "orders/delete",
      eventId: null,
      headers: {},
      body: JSON.stringify({ id: 700_000_000 + i }),
      customerId: null,
      orderId: BigInt(700_000_000 + i),
    }));
    const outcomes = await Promise.all(rows.map((row) => writer.write(row)));
    expect(outcomes.every((o) => o === "stored")).toBe(true);
    // The first row goes alone (nothing was in flight); the other 299 wait for it and go in one statement.
    expect(statements - before).toBe(2);
    const stored = await db.webhookInbox.findMany({
      where: { shop: SHOP, webhookId: { startsWith: `group-${process.pid}-` } },
      orderBy: { seq: "asc" },
      select: { webhookId: true, orderId: true, eventId: true, customerId: true },
    });
    expect(stored.map((r) => r.webhookId)).toEqual(rows.map((r) => r.webhookId));
    expect(stored[0]).toMatchObject({ eventId: null, customerId: null, orderId: 700_000_000n });
    // Copies at the same time: one stored, the others duplicates, never an error.
    const copy = {
      ...rows[0],
      webhookId: `group-${process.pid}-copy`,
      orderId: 1n,
      body: "{}",
    } as (typeof rows)[number];
    const copies = await Promise.all([writer.write(copy), writer.write(copy), writer.write(copy)]);
    expect(copies.sort()).toEqual(["duplicate", "duplicate", "stored"]);
  });

  it("GIVEN a path that is no webhook topic THEN the fast path leaves it to Remix", async () => {
    expect((await post("/webhooks/products/create", "{}", headersFor("products/create", "{}"))).status).toBe(418);
  });
});
