import { createServer, type Server } from "node:http";
import { Writable } from "node:stream";
import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { WEBHOOK_TOPICS } from "../../app/pipeline/ingest/webhook-topics.server";
import { createInboxWriter, type InboxWriter } from "../../app/pipeline/ingest/inbox/inbox-writer.server";
import { createKnownShops } from "../../app/pipeline/ingest/inbox/known-shops.server";
import { receiveDelivery } from "../../app/pipeline/ingest/inbox/receive.server";
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
import { drainInbox } from "../../app/pipeline/ingest/inbox/inbox-applier.server";

/**
 * The emulator's delivery engine against the app's webhook receiver (receiveDelivery: the real signature check, the
 * real customers/update schema, the real inbox on the test database, over real HTTP), on a test clock: Shopify's
 * retries, timeouts, give-ups, duplicate events, include_fields and filter — and what the app does with each. The
 * inbox is then applied by the real applier.
 */

const SECRET = "deliveries-test-secret";
const SHOP = "deliveries-test.myshopify.com";
const db = createDb(process.env.DATABASE_URL as string, 4);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });

// The app's log, captured: a failed delivery must be logged at error level.
const logLines: { level: number; msg: string; webhookId?: string; outcome?: string }[] = [];
const logger = pino(
  { level: "debug" },
  new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean))
        logLines.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  }),
);

// Fault injection in the inbox write: fail the next N deliveries, or hold one until released.
let failNext = 0;
let hold: { entered: () => void; release: Promise<void> } | undefined;
let stored = 0;
const inbox = createInboxWriter({ client: pool });
const writer: InboxWriter = {
  write: async (row) => {
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
    const outcome = await inbox.write(row);
    if (outcome === "stored") stored++;
    return outcome;
  },
  drain: () => inbox.drain(),
};
const deps = {
  secret: SECRET,
  topics: WEBHOOK_TOPICS,
  knownShops: createKnownShops({ lookup: async (shop) => (await db.shop.count({ where: { shop } })) > 0 }),
  writer,
  logger,
};

// Every request the app's endpoint received, with its headers.
const received: { path: string; headers: Record<string, string>; body: string }[] = [];
let inFlight = 0;
let maxInFlight = 0;
let server: Server;
let appUrl = "";

beforeAll(async () => {
  await db.shop.create({ data: { shop: SHOP, name: "Deliveries" } });
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : (v ?? "")]),
      );
      received.push({ path: req.url ?? "", headers, body: body.toString("utf8") });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      void receiveDelivery(
        {
          method: req.method ?? "POST",
          endpointTopic: (req.url ?? "").replace(/^\/webhooks\//, ""),
          header: (name) => headers[name],
          headerEntries: () => Object.entries(headers),
          body,
        },
        deps,
      )
        .then((answer) => {
          res.writeHead(answer.status, { "Content-Type": "text/plain" });
          res.end(answer.body);
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
  await pool.end();
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

  it("GIVEN an inbox write that fails twice THEN the app answers 503, Shopify retries on its backoff schedule with the same webhook id, and the third attempt is stored once and applied", async () => {
    start();
    const payload = customer();
    failNext = 2;
    const errorsBefore = logLines.filter((l) => l.level >= 50).length;
    const storedBefore = stored;
    const [record] = engine.trigger(SHOP, "customers/update", payload);
    if (!record) throw new Error("no delivery");
    const t0 = clock.now();
    await engine.idle();
    expect(record.attempts.map((a) => a.status)).toEqual([503]);
    expect(record.state).toBe("retry-scheduled");
    expect(Date.parse(record.nextAttemptAt ?? "")).toBe(t0 + (RETRY_DELAYS_MS[0] ?? 0));

    // Not a millisecond early.
    await clock.advance((RETRY_DELAYS_MS[0] ?? 0) - 1);
    await engine.idle();
    expect(record.attempts).toHaveLength(1);
    await clock.advance(1);
    await engine.idle();
    expect(record.attempts.map((a) => a.status)).toEqual([503, 503]);
    await clock.advance(RETRY_DELAYS_MS[1] ?? 0);
    await engine.idle();

    expect(record.attempts.map((a) => a.status)).toEqual([503, 503, 200]);
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
    expect(stored - storedBefore).toBe(1);
    expect(await db.webhookInbox.count({ where: { shop: SHOP, webhookId: record.webhookId } })).toBe(1);
    const errors = logLines.filter((l) => l.level >= 50).slice(errorsBefore);
    expect(errors).toHaveLength(2);
    expect(errors.every((l) => l.webhookId === record.webhookId)).toBe(true);
    expect(engine.summary()).toMatchObject({ deliveries: 1, delivered: 1, failedAttempts: 2, retried: 1, givenUp: 0 });
    await drainInbox(db);
    expect(await db.customer.findUnique({ where: { shop_id: { shop: SHOP, id: BigInt(payload.id) } } })).toMatchObject({
      firstName: "Anna",
      tags: ["VIP", "rfm:champions"],
    });
  });

  it("GIVEN an answer slower than 5 s THEN the attempt counts as failed and is retried; the app stores the event once", async () => {
    start();
    let entered: () => void = () => undefined;
    const inHandler = new Promise<void>((r) => (entered = r));
    let release: () => void = () => undefined;
    hold = { entered, release: new Promise<void>((r) => (release = r)) };
    const storedBefore = stored;
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
    await waitFor("the app to finish the first attempt", async () => stored - storedBefore === 1, 10_000, 20);
    await clock.advance(RETRY_DELAYS_MS[0] ?? 0);
    await engine.idle();
    expect(record.attempts.map((a) => a.outcome)).toEqual(["timeout", "delivered"]);
    expect(stored - storedBefore).toBe(1);
    expect(await db.webhookInbox.count({ where: { shop: SHOP, webhookId: record.webhookId } })).toBe(1);
  });

  it("GIVEN an inbox that always fails THEN Shopify gives up after 8 retries over 4 hours, and the give-up is recorded", async () => {
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
    expect(record.attempts.every((a) => a.status === 503)).toBe(true);
    expect(record.state).toBe("given-up");
    expect(Date.parse(record.attempts[8]?.at ?? "") - t0).toBe(4 * 60 * 60 * 1000);
    expect(clock.pending()).toBe(0);
    expect(engine.summary()).toMatchObject({ givenUp: 1, failedAttempts: 9, pending: 0 });
    expect(engine.problems().map((p) => p.record.webhookId)).toEqual([record.webhookId]);
    expect(await db.webhookInbox.count({ where: { shop: SHOP, webhookId: record.webhookId } })).toBe(0);
  });

  it("GIVEN two subscriptions to one topic THEN one event arrives twice with two webhook ids and one event id, and the app stores it once (Shopify: same event id = duplicate)", async () => {
    start([CUSTOMERS_UPDATE, { ...CUSTOMERS_UPDATE }]);
    const storedBefore = stored;
    const records = engine.trigger(SHOP, "customers/update", customer());
    await engine.idle();
    expect(records).toHaveLength(2);
    expect(new Set(records.map((r) => r.webhookId)).size).toBe(2);
    expect(new Set(records.map((r) => r.eventId)).size).toBe(1);
    expect(records.map((r) => r.attempts.map((a) => a.status))).toEqual([[200], [200]]);
    expect(stored - storedBefore).toBe(1);
    const eventId = records[0]?.eventId ?? "";
    expect(await db.webhookInbox.count({ where: { shop: SHOP, eventId } })).toBe(1);
    expect(
      logLines.filter(
        (l) => (l as { outcome?: string }).outcome === "duplicate" && records.some((r) => r.webhookId === l.webhookId),
      ),
    ).toHaveLength(1);
  });

  it("GIVEN one delivery sent twice (same webhook id) THEN it is stored once", async () => {
    start();
    const storedBefore = stored;
    const payload = customer();
    const [first] = engine.trigger(SHOP, "customers/update", payload);
    await engine.idle();
    const [again] = engine.trigger(SHOP, "customers/update", payload, { webhookId: first?.webhookId });
    await engine.idle();
    expect([first?.state, again?.state]).toEqual(["delivered", "delivered"]);
    expect(stored - storedBefore).toBe(1);
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
    await drainInbox(db);
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
    await drainInbox(db);
    expect(await db.customer.count({ where: { shop: SHOP, id: { in: payloads.map((p) => BigInt(p.id)) } } })).toBe(24);
  });
});
