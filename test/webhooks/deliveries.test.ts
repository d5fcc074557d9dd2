import { createServer, type Server } from "node:http";
import { timingSafeEqual } from "node:crypto";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDb, type DbTx } from "../../app/platform/db.server";
import { customerState } from "../../app/pipeline/ingest/order-and-customer-webhooks.server";
import { createLimiter, receiveWebhook, type VerifiedWebhook } from "../../app/shopify/webhook-receiver.server";
import type { WebhookSubscription } from "../emulator/app-config";
import {
  createDeliveryEngine,
  RESPONSE_TIMEOUT_MS,
  RETRY_DELAYS_MS,
  TestClock,
  type DeliveryEngine,
} from "../emulator/deliveries";
import { signWebhook } from "../emulator/webhook-sender";
import { waitFor } from "../support/wait";

/**
 * The emulator's delivery engine against the app's webhook receiver (receiveWebhook with the real customers/update
 * handler, real HTTP, real HMAC, the test database), on a test clock: Shopify's retries, timeouts, give-ups,
 * duplicate events, include_fields and filter — and what the app does with each.
 */

const SECRET = "deliveries-test-secret";
const SHOP = "deliveries-test.myshopify.com";
const db = createDb(process.env.DATABASE_URL as string, 4);

// The app's log, captured: a failed delivery must be logged at error level.
const logLines: { level: number; msg: string; webhookId?: string }[] = [];
const logger = pino(
  { level: "info" },
  new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean))
        logLines.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  }),
);

// Fault injection in the app's handler: fail the next N deliveries, or hold one until released.
let failNext = 0;
let hold: { entered: () => void; release: Promise<void> } | undefined;
let handled = 0;
const handler = {
  ...customerState,
  handle: async (ctx: Parameters<typeof customerState.handle>[0], tx: DbTx) => {
    if (failNext > 0) {
      failNext--;
      throw new Error("injected fault");
    }
    if (hold) {
      const h = hold;
      hold = undefined;
      h.entered();
      await h.release;
    }
    handled++;
    await customerState.handle(ctx, tx);
  },
};

async function verify(request: Request): Promise<VerifiedWebhook> {
  const raw = await request.text();
  const given = Buffer.from(request.headers.get("x-shopify-hmac-sha256") ?? "", "base64");
  const expected = Buffer.from(signWebhook(SECRET, raw), "base64");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Response(null, { status: 401 });
  const header = (name: string) => {
    const v = request.headers.get(name);
    if (!v) throw new Response(null, { status: 400 });
    return v;
  };
  return {
    shop: header("x-shopify-shop-domain"),
    topic: header("x-shopify-topic"),
    webhookId: header("x-shopify-webhook-id"),
    eventId: header("x-shopify-event-id"),
    apiVersion: header("x-shopify-api-version"),
    payload: JSON.parse(raw) as unknown,
  };
}

// Every request the app's endpoint received, with its headers.
const received: { path: string; headers: Record<string, string>; body: string }[] = [];
let inFlight = 0;
let maxInFlight = 0;
let server: Server;
let appUrl = "";
const transactions = createLimiter(2);

beforeAll(async () => {
  await db.shop.create({ data: { shop: SHOP, name: "Deliveries" } });
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : (v ?? "")]),
      );
      received.push({ path: req.url ?? "", headers, body });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const request = new Request(`${appUrl}${req.url ?? ""}`, { method: "POST", headers, body });
      const topic = (req.url ?? "").replace(/^\/webhooks\//, "");
      void receiveWebhook(request, handler, { topic, db, logger, verify, maxBytes: 1 << 20, transactions })
        .then(async (response) => {
          res.writeHead(response.status, { "Content-Type": "text/plain" });
          res.end(await response.text());
        })
        .finally(() => inFlight--);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  appUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await db.$disconnect();
});

let engine: DeliveryEngine;
let clock: TestClock;
const CUSTOMERS_UPDATE: WebhookSubscription = { topics: ["customers/update"], uri: "/webhooks/customers/update" };

function start(subscriptions: WebhookSubscription[] = [CUSTOMERS_UPDATE], extra: { shuffle?: () => number } = {}) {
  clock = new TestClock();
  engine = createDeliveryEngine({ appUrl, secret: SECRET, apiVersion: "2026-10", subscriptions, clock, ...extra });
  return engine;
}

let nextId = 7_000_000_001;
function customer(overrides: Record<string, unknown> = {}) {
  const id = nextId++;
  return {
    id,
    email: `c${id}@example.com`,
    first_name: "Anna",
    last_name: "de Vries",
    locale: "nl",
    tags: "VIP, rfm:champions",
    created_at: "2026-01-01T10:00:00+01:00",
    updated_at: "2026-11-30T10:00:00+01:00",
    email_marketing_consent: { state: "subscribed", opt_in_level: "single_opt_in", consent_updated_at: null },
    default_address: { city: "Utrecht", country_code: "NL", zip: "3511" },
    ...overrides,
  };
}

beforeEach(() => {
  failNext = 0;
  hold = undefined;
  engine?.close();
});

describe("Shopify's webhook delivery (emulated) against the app's receiver", () => {
  it("GIVEN every delivery THEN it carries Shopify's headers and a valid HMAC of the exact body", async () => {
    start([{ ...CUSTOMERS_UPDATE, name: "rfm-customers" }]);
    const before = received.length;
    const [record] = engine.trigger(SHOP, "customers/update", customer());
    await engine.idle();
    const got = received[before];
    expect(record?.state).toBe("delivered");
    expect(got?.headers).toMatchObject({
      "content-type": "application/json",
      "x-shopify-topic": "customers/update",
      "x-shopify-shop-domain": SHOP,
      "x-shopify-api-version": "2026-10",
      "x-shopify-webhook-id": record?.webhookId,
      "x-shopify-event-id": record?.eventId,
      "x-shopify-triggered-at": new Date(clock.now()).toISOString(),
      "x-shopify-name": "rfm-customers",
      "x-shopify-hmac-sha256": signWebhook(SECRET, got?.body ?? ""),
    });
  });

  it("GIVEN a handler that fails twice THEN Shopify retries on its backoff schedule with the same webhook id, and the third attempt is applied once", async () => {
    start();
    const payload = customer();
    failNext = 2;
    const errorsBefore = logLines.filter((l) => l.level >= 50).length;
    const handledBefore = handled;
    const [record] = engine.trigger(SHOP, "customers/update", payload);
    if (!record) throw new Error("no delivery");
    const t0 = clock.now();
    await engine.idle();
    expect(record.attempts.map((a) => a.status)).toEqual([500]);
    expect(record.state).toBe("retry-scheduled");
    expect(Date.parse(record.nextAttemptAt ?? "")).toBe(t0 + (RETRY_DELAYS_MS[0] ?? 0));

    // Not a millisecond early.
    await clock.advance((RETRY_DELAYS_MS[0] ?? 0) - 1);
    await engine.idle();
    expect(record.attempts).toHaveLength(1);
    await clock.advance(1);
    await engine.idle();
    expect(record.attempts.map((a) => a.status)).toEqual([500, 500]);
    await clock.advance(RETRY_DELAYS_MS[1] ?? 0);
    await engine.idle();

    expect(record.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(record.attempts.map((a) => Date.parse(a.at) - t0)).toEqual([
      0,
      RETRY_DELAYS_MS[0],
      (RETRY_DELAYS_MS[0] ?? 0) + (RETRY_DELAYS_MS[1] ?? 0),
    ]);
    expect(record.state).toBe("delivered");
    // Every attempt was the same delivery: same body, webhook id, event id, triggered-at.
    const attempts = received.filter((r) => r.headers["x-shopify-webhook-id"] === record.webhookId);
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((a) => a.body)).size).toBe(1);
    expect(new Set(attempts.map((a) => a.headers["x-shopify-event-id"])).size).toBe(1);
    expect(new Set(attempts.map((a) => a.headers["x-shopify-triggered-at"])).size).toBe(1);
    // Applied once, failures logged by the app at error level.
    expect(handled - handledBefore).toBe(1);
    expect(await db.webhookDelivery.count({ where: { shop: SHOP, webhookId: record.webhookId } })).toBe(1);
    expect(await db.customer.findUnique({ where: { shop_id: { shop: SHOP, id: BigInt(payload.id) } } })).toMatchObject({
      firstName: "Anna",
      tags: ["VIP", "rfm:champions"],
    });
    const errors = logLines.filter((l) => l.level >= 50).slice(errorsBefore);
    expect(errors).toHaveLength(2);
    expect(errors.every((l) => l.webhookId === record.webhookId)).toBe(true);
    expect(engine.summary()).toMatchObject({ deliveries: 1, delivered: 1, failedAttempts: 2, retried: 1, givenUp: 0 });
  });

  it("GIVEN an answer slower than 5 s THEN the attempt counts as failed and is retried; the app applies the event once", async () => {
    start();
    let entered: () => void = () => undefined;
    const inHandler = new Promise<void>((r) => (entered = r));
    let release: () => void = () => undefined;
    hold = { entered, release: new Promise<void>((r) => (release = r)) };
    const handledBefore = handled;
    const [record] = engine.trigger(SHOP, "customers/update", customer());
    if (!record) throw new Error("no delivery");
    await inHandler;
    // Emulated time: 5 s without an answer.
    await clock.advance(RESPONSE_TIMEOUT_MS - 1);
    expect(record.attempts).toHaveLength(0);
    await clock.advance(1);
    await engine.idle();
    expect(record.attempts[0]).toMatchObject({ outcome: "timeout", status: 0 });
    expect(record.state).toBe("retry-scheduled");
    // The app finishes the first attempt after Shopify gave up on it; the retry is then a duplicate.
    release();
    await waitFor("the app to finish the first attempt", async () => handled - handledBefore === 1, 10_000, 20);
    await clock.advance(RETRY_DELAYS_MS[0] ?? 0);
    await engine.idle();
    expect(record.attempts.map((a) => a.outcome)).toEqual(["timeout", "delivered"]);
    expect(handled - handledBefore).toBe(1);
    expect(await db.webhookDelivery.count({ where: { shop: SHOP, webhookId: record.webhookId } })).toBe(1);
  });

  it("GIVEN a handler that always fails THEN Shopify gives up after 8 retries over 4 hours, and the give-up is recorded", async () => {
    start();
    failNext = 1_000;
    const [record] = engine.trigger(SHOP, "customers/update", customer());
    if (!record) throw new Error("no delivery");
    const t0 = clock.now();
    await engine.idle();
    for (const wait of RETRY_DELAYS_MS) {
      await clock.advance(wait);
      await engine.idle();
    }
    failNext = 0;
    expect(record.attempts).toHaveLength(9);
    expect(record.attempts.every((a) => a.status === 500)).toBe(true);
    expect(record.state).toBe("given-up");
    expect(Date.parse(record.attempts[8]?.at ?? "") - t0).toBe(4 * 60 * 60 * 1000);
    expect(clock.pending()).toBe(0);
    expect(engine.summary()).toMatchObject({ givenUp: 1, failedAttempts: 9, pending: 0 });
    expect(engine.problems().map((p) => p.record.webhookId)).toEqual([record.webhookId]);
    expect(await db.webhookDelivery.count({ where: { shop: SHOP, webhookId: record.webhookId } })).toBe(0);
  });

  it("GIVEN two subscriptions to one topic THEN one event arrives twice with two webhook ids and one event id, and the app applies it once (Shopify: same event id = duplicate)", async () => {
    start([CUSTOMERS_UPDATE, { ...CUSTOMERS_UPDATE }]);
    const handledBefore = handled;
    const records = engine.trigger(SHOP, "customers/update", customer());
    await engine.idle();
    expect(records).toHaveLength(2);
    expect(new Set(records.map((r) => r.webhookId)).size).toBe(2);
    expect(new Set(records.map((r) => r.eventId)).size).toBe(1);
    expect(records.map((r) => r.attempts.map((a) => a.status))).toEqual([[200], [200]]);
    expect(handled - handledBefore).toBe(1);
    const eventId = records[0]?.eventId ?? "";
    expect(await db.webhookDelivery.count({ where: { shop: SHOP, eventId } })).toBe(1);
    expect(
      logLines.filter(
        (l) => (l as { outcome?: string }).outcome === "duplicate" && records.some((r) => r.webhookId === l.webhookId),
      ),
    ).toHaveLength(1);
  });

  it("GIVEN one delivery sent twice (same webhook id) THEN it is applied once", async () => {
    start();
    const handledBefore = handled;
    const payload = customer();
    const [first] = engine.trigger(SHOP, "customers/update", payload);
    await engine.idle();
    const [again] = engine.trigger(SHOP, "customers/update", payload, { webhookId: first?.webhookId });
    await engine.idle();
    expect([first?.state, again?.state]).toEqual(["delivered", "delivered"]);
    expect(handled - handledBefore).toBe(1);
  });

  it("GIVEN include_fields on the subscription THEN only those fields (nested too) are sent and the app accepts the trimmed payload", async () => {
    start([
      {
        ...CUSTOMERS_UPDATE,
        includeFields: ["id", "email", "tags", "updated_at", "email_marketing_consent.state", "default_address.city"],
      },
    ]);
    const payload = customer({ tags: "rfm:loyal" });
    const [record] = engine.trigger(SHOP, "customers/update", payload);
    await engine.idle();
    expect(JSON.parse(record?.body ?? "{}")).toEqual({
      id: payload.id,
      email: payload.email,
      tags: "rfm:loyal",
      updated_at: payload.updated_at,
      email_marketing_consent: { state: "subscribed" },
      default_address: { city: "Utrecht" },
    });
    expect(record?.attempts.map((a) => a.status)).toEqual([200]);
    expect(await db.customer.findUnique({ where: { shop_id: { shop: SHOP, id: BigInt(payload.id) } } })).toMatchObject({
      email: payload.email,
      tags: ["rfm:loyal"],
      emailMarketingState: "SUBSCRIBED",
    });
  });

  it("GIVEN a filter on the subscription THEN non-matching events are not sent, matching ones are", async () => {
    start([{ ...CUSTOMERS_UPDATE, filter: "email_marketing_consent.state:subscribed AND NOT locale:en" }]);
    const before = received.length;
    const sent = engine.trigger(SHOP, "customers/update", customer());
    const unsubscribed = engine.trigger(
      SHOP,
      "customers/update",
      customer({ email_marketing_consent: { state: "unsubscribed" } }),
    );
    const english = engine.trigger(SHOP, "customers/update", customer({ locale: "en" }));
    await engine.idle();
    expect([sent.length, unsubscribed.length, english.length]).toEqual([1, 0, 0]);
    expect(received.length - before).toBe(1);
    expect(engine.suppressed).toHaveLength(2);
    expect(engine.summary()).toMatchObject({ deliveries: 1, delivered: 1, suppressed: 2 });
  });

  it("GIVEN a filter the emulator does not understand THEN starting the engine throws instead of letting it pass", () => {
    for (const filter of ["vip", "tags:VI*", "total_price:[10 TO 20]", "(state:enabled", "id:>abc"])
      expect(() => start([{ ...CUSTOMERS_UPDATE, filter }]), filter).toThrow();
  });

  it("GIVEN many events for one shop THEN at most the per-shop limit is sent at once, and shuffled deliveries arrive out of order but all applied", async () => {
    let seed = 42;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    clock = new TestClock();
    engine = createDeliveryEngine({
      appUrl,
      secret: SECRET,
      apiVersion: "2026-10",
      subscriptions: [CUSTOMERS_UPDATE],
      clock,
      concurrencyPerShop: 3,
      shuffle: random,
    });
    maxInFlight = 0;
    const before = received.length;
    const payloads = Array.from({ length: 24 }, () => customer());
    const records = payloads.flatMap((p) => engine.trigger(SHOP, "customers/update", p));
    await engine.idle();
    expect(maxInFlight).toBeLessThanOrEqual(3);
    expect(records.every((r) => r.state === "delivered")).toBe(true);
    const arrival = received.slice(before).map((r) => (JSON.parse(r.body) as { id: number }).id);
    expect(arrival).not.toEqual(payloads.map((p) => p.id));
    expect([...arrival].sort()).toEqual(payloads.map((p) => p.id).sort());
    expect(await db.customer.count({ where: { shop: SHOP, id: { in: payloads.map((p) => BigInt(p.id)) } } })).toBe(24);
  });
});

describe("the receiver's bound on webhook transactions in flight", () => {
  it("GIVEN more callers than the limit THEN at most the limit run at once, the rest wait in arrival order, and a failure frees its slot", async () => {
    const limiter = createLimiter(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const gates = Array.from({ length: 5 }, () => {
      let open: () => void = () => undefined;
      const opened = new Promise<void>((r) => (open = r));
      return { open, opened };
    });
    const runs = gates.map((gate, i) =>
      limiter.run(async () => {
        running++;
        peak = Math.max(peak, running);
        order.push(i);
        await gate.opened;
        running--;
        if (i === 0) throw new Error("first fails");
        return i;
      }),
    );
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([0, 1]);
    expect(limiter.waiting).toBe(3);
    gates[0]?.open();
    await expect(runs[0]).rejects.toThrow("first fails");
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([0, 1, 2]);
    for (const gate of gates) gate.open();
    expect(await Promise.all(runs.slice(1))).toEqual([1, 2, 3, 4]);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(limiter.waiting).toBe(0);
  });
});
