import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { DEMO_SHOP, startDemoStack, type DemoStack } from "../demo/stack";
import { sendWebhook } from "../emulator/webhook-sender";
import { customerPayload, orderPayload, refundPayload } from "../emulator/shapes";
import { Random } from "../emulator/random";
import { TEST_APP } from "../setup/test-app";
import { installAndBackfill } from "../support/install";
import { waitFor } from "../support/wait";
import { waitForInboxDrained } from "../support/inbox";
import type { GeneratedOrder } from "../emulator/generator";

/**
 * Hostile input: thousands of mutated, truncated, mistyped, oversized,
 * mis-signed and mis-addressed webhooks. The app must answer each with a 4xx,
 * never a 5xx, stay up, and leave the database exactly as it was — while a
 * second shop's valid webhooks, interleaved, are all processed.
 */

const OTHER = "steady-shop.myshopify.com";
let stack: DemoStack;
const db = createDb(process.env.DATABASE_URL as string, 2);
const rng = new Random(1337);

type Json = Record<string, unknown>;

const WRONG_VALUES: unknown[] = [
  null,
  "x",
  -1,
  0,
  {},
  [],
  true,
  "9".repeat(40),
  "2026-13-45T99:99:99Z",
  1.5,
  "1e400",
  "NaN",
];

async function fingerprint(shop: string) {
  const [counts] = await db.$queryRawUnsafe<
    {
      orders: bigint;
      lines: bigint;
      refunds: bigint;
      customers: bigint;
      aggregates: bigint;
      deliveries: bigint;
      net: string | null;
      upd: string | null;
    }[]
  >(
    `SELECT (SELECT count(*) FROM "Order" WHERE shop = $1) AS orders,
            (SELECT count(*) FROM "OrderLine" WHERE shop = $1) AS lines,
            (SELECT count(*) FROM "Refund" WHERE shop = $1) AS refunds,
            (SELECT count(*) FROM "Customer" WHERE shop = $1) AS customers,
            (SELECT count(*) FROM "CustomerAggregate" WHERE shop = $1) AS aggregates,
            (SELECT count(*) FROM "WebhookInbox" WHERE shop = $1) AS deliveries,
            (SELECT sum("netSpend")::text FROM "CustomerAggregate" WHERE shop = $1) AS net,
            (SELECT max("shopifyUpdatedAt")::text FROM "Order" WHERE shop = $1) AS upd`,
    shop,
  );
  return JSON.stringify(counts, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}

function requiredKeys(topic: string): string[] {
  if (topic.startsWith("orders/") && topic !== "orders/delete")
    return ["id", "created_at", "updated_at", "currency", "total_price_set", "current_total_price_set"];
  if (topic === "refunds/create") return ["id", "order_id", "created_at"];
  if (topic.startsWith("customers/") && topic !== "customers/merge") return ["id", "updated_at"];
  if (topic === "customers/merge")
    return ["admin_graphql_api_customer_kept_id", "admin_graphql_api_customer_deleted_id"];
  return ["id"];
}

function mutate(topic: string, base: Json): { body: string; note: string } {
  const keys = requiredKeys(topic);
  const key = rng.pick(keys);
  switch (rng.int(0, 8)) {
    case 0: {
      const text = JSON.stringify(base);
      return { body: text.slice(0, rng.int(0, text.length - 1)), note: "truncated" };
    }
    case 1:
      return { body: JSON.stringify({ ...base, [key]: rng.pick(WRONG_VALUES) }), note: `${key} mistyped` };
    case 2: {
      const copy = { ...base };
      delete copy[key];
      return { body: JSON.stringify(copy), note: `${key} missing` };
    }
    case 3:
      return { body: JSON.stringify(rng.pick([[], 1, "order", null, true, [base]])), note: "not an object" };
    case 4: {
      const deep = `${"[".repeat(20_000)}1${"]".repeat(20_000)}`;
      return {
        body: JSON.stringify({ ...base, [key]: 0 }).replace(`"${key}":0`, `"${key}":${deep}`),
        note: "deeply nested",
      };
    }
    case 5:
      if (topic.startsWith("orders/") && topic !== "orders/delete") {
        return {
          body: JSON.stringify({
            ...base,
            total_price_set: { shop_money: { amount: "123456789012345678901234567890.00", currency_code: "EUR" } },
          }),
          note: "amount overflow",
        };
      }
      return { body: JSON.stringify({ ...base, [key]: "123456789012345678901234" }), note: "id overflow" };
    case 6:
      if (topic.startsWith("orders/") && topic !== "orders/delete") {
        return {
          body: JSON.stringify({
            ...base,
            discount_codes: Array.from({ length: 5_000 }, (_, i) => ({ code: `C${i}` })),
          }),
          note: "too many codes",
        };
      }
      return { body: `\u0000${JSON.stringify(base)}`, note: "leading NUL" };
    case 7:
      return { body: JSON.stringify({ ...base, [key]: "x".repeat(rng.int(256, 70_000)) }), note: "oversized field" };
    default:
      return { body: JSON.stringify(base).replace(/:/g, "="), note: "garbage" };
  }
}

beforeAll(async () => {
  stack = await startDemoStack({
    databaseUrl: process.env.DATABASE_URL as string,
    dataset: { customers: 80, orders: 240 },
  });
  stack.emulator.addShop({ domain: OTHER, name: "Steady", dataset: { customers: 30, orders: 60, seed: 4 } });
  for (const shop of [DEMO_SHOP, OTHER]) await installAndBackfill(stack, db, shop);
  await waitFor(
    "bulk finish webhooks",
    // Two per shop: the orders export and the customers export.
    async () => stack.emulator.deliveries.filter((d) => d.topic === "bulk_operations/finish").length === 4,
  );
}, 150_000);

afterAll(async () => {
  await stack?.stop();
  await db.$disconnect();
});

describe("webhook fuzzing", () => {
  it("GIVEN 3 000 hostile deliveries THEN every answer is 4xx, the app stays up and no row changes; valid ones for another shop all land", async () => {
    const shop = stack.emulator.shop(DEMO_SHOP);
    const orders = [...shop.orders()].slice(0, 40) as GeneratedOrder[];
    const customer = shop.customer(orders.find((o) => o.customerId !== null)?.customerId ?? 0);
    const bases: { topic: string; payload: Json }[] = [];
    for (const o of orders) {
      bases.push({ topic: "orders/create", payload: orderPayload({ ...o, updatedAt: new Date() }) });
      bases.push({ topic: "orders/updated", payload: orderPayload({ ...o, updatedAt: new Date() }) });
      for (const r of o.refunds) bases.push({ topic: "refunds/create", payload: refundPayload(o, r) });
    }
    if (customer) bases.push({ topic: "customers/update", payload: customerPayload(customer, new Date(), ["fuzzed"]) });
    bases.push({ topic: "orders/delete", payload: { id: orders[0]?.id } });
    bases.push({
      topic: "customers/merge",
      payload: {
        admin_graphql_api_customer_kept_id: "gid://shopify/Customer/1",
        admin_graphql_api_customer_deleted_id: "gid://shopify/Customer/2",
        status: "completed",
      },
    });

    const before = await fingerprint(DEMO_SHOP);
    const otherBefore = await db.order.count({ where: { shop: OTHER } });
    const statuses = new Map<number, number>();
    const fiveHundreds: string[] = [];
    let validForOther = 0;
    let next = 0;
    const TOTAL = 3_000;

    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (;;) {
          const i = next++;
          if (i >= TOTAL) return;
          const base = rng.pick(bases);
          let status: number;
          let note: string;
          const kind = i % 10;
          if (kind === 0) {
            // Valid payload, forged signature.
            note = "bad hmac";
            status = (
              await sendWebhook({
                url: `${stack.appUrl}/webhooks/${base.topic}`,
                secret: TEST_APP.secret,
                topic: base.topic,
                shop: DEMO_SHOP,
                body: base.payload,
                hmac: Buffer.from(`forged-${i}`).toString("base64"),
              })
            ).status;
          } else if (kind === 1) {
            // Correctly signed, for a shop that never installed.
            note = "unknown shop";
            status = (
              await sendWebhook({
                url: `${stack.appUrl}/webhooks/${base.topic}`,
                secret: TEST_APP.secret,
                topic: base.topic,
                shop: `ghost-${i}.myshopify.com`,
                body: base.payload,
              })
            ).status;
          } else if (kind === 2) {
            // Correctly signed, but the topic is not this endpoint's.
            note = "topic mismatch";
            status = (
              await sendWebhook({
                url: `${stack.appUrl}/webhooks/customers/update`,
                secret: TEST_APP.secret,
                topic: "orders/create",
                shop: DEMO_SHOP,
                body: base.payload,
              })
            ).status;
          } else if (kind === 3) {
            // A valid webhook for the other shop, interleaved.
            const o = [...stack.emulator.shop(OTHER).orders()][i % 20] as GeneratedOrder;
            const fresh = { ...o, id: 900_000_000_000 + i, updatedAt: new Date() };
            status = (await stack.emulator.deliver(OTHER, "orders/create", orderPayload(fresh))).status;
            note = "valid, other shop";
            if (status === 200) validForOther++;
          } else {
            const m = mutate(base.topic, base.payload);
            note = m.note;
            status = (
              await sendWebhook({
                url: `${stack.appUrl}/webhooks/${base.topic}`,
                secret: TEST_APP.secret,
                topic: base.topic,
                shop: DEMO_SHOP,
                body: m.body,
              })
            ).status;
          }
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status >= 500 || (status === 200 && kind !== 3)) fiveHundreds.push(`${note} on ${base.topic}: ${status}`);
        }
      }),
    );

    // Hostile deliveries never get a 5xx, and never a 200 either.
    expect(fiveHundreds).toEqual([]);
    const rejected = [...statuses.entries()].filter(([s]) => s !== 200).reduce((n, [, c]) => n + c, 0);
    expect(rejected).toBe(TOTAL - validForOther);
    for (const status of statuses.keys()) expect([200, 400, 401, 404, 413]).toContain(status);
    expect(validForOther).toBe(TOTAL / 10);
    await waitForInboxDrained(db, OTHER);
    expect(await db.order.count({ where: { shop: OTHER } })).toBe(otherBefore + TOTAL / 10);
    expect(await fingerprint(DEMO_SHOP)).toBe(before);
    expect((await fetch(`${stack.appUrl}/`)).status).toBe(200);
    expect(stack.app.exitCode).toBeNull();
  }, 240_000);
});
