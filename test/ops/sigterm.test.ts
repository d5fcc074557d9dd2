import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { DEMO_SHOP, startDemoStack, type DemoStack } from "../demo/stack";
import { sendWebhook } from "../emulator/webhook-sender";
import { openApp } from "../support/merchant";
import { TEST_APP } from "../setup/test-app";

// SIGTERM under load: a real web process receives a stream of signed webhooks and is told to stop midway. It stops
// accepting, finishes what is in flight, exits 0; every webhook it answered 200 is stored, the rest failed in a way
// Shopify retries (no answer, or 5xx).

const db = createDb(process.env.DATABASE_URL as string, 2);
let stack: DemoStack;

beforeAll(async () => {
  stack = await startDemoStack({
    databaseUrl: process.env.DATABASE_URL as string,
    dataset: { customers: 10, orders: 20 },
    env: { SHUTDOWN_TIMEOUT_SECONDS: "20", LOG_LEVEL: "info" },
  });
  expect((await openApp(stack)).status).toBe(200);
}, 150_000);

afterAll(async () => {
  await stack?.stop();
  await db.$disconnect();
});

interface Outcome {
  webhookId: string;
  startedAt: number;
  finishedAt: number;
  status: number | "connection error";
}

describe("SIGTERM while webhooks arrive", () => {
  it("GIVEN a stream of signed webhooks WHEN the process gets SIGTERM midway THEN nothing answered 200 is lost, the rest is retryable, and it exits 0", async () => {
    const total = 240;
    const concurrency = 8;
    let next = 0;
    let ok = 0;
    let signalledAt = Infinity;
    const outcomes: Outcome[] = [];
    const exited = new Promise<number | null>((resolve) => stack.app.once("exit", (code) => resolve(code)));

    const sendOne = async (i: number) => {
      const webhookId = `sigterm-${i}-${Date.now()}`;
      const startedAt = Date.now();
      try {
        const { status } = await sendWebhook({
          url: `${stack.appUrl}/webhooks/customers/data_request`,
          secret: TEST_APP.secret,
          topic: "customers/data_request",
          shop: DEMO_SHOP,
          webhookId,
          body: {
            shop_id: 1,
            shop_domain: DEMO_SHOP,
            orders_requested: [],
            customer: { id: 7_000_000 + i, email: `c${i}@example.com`, phone: null },
            data_request: { id: 90_000 + i },
          },
        });
        outcomes.push({ webhookId, startedAt, finishedAt: Date.now(), status });
        if (status === 200) ok += 1;
      } catch {
        outcomes.push({ webhookId, startedAt, finishedAt: Date.now(), status: "connection error" });
      }
      if (ok >= 40 && signalledAt === Infinity) {
        signalledAt = Date.now();
        stack.app.kill("SIGTERM");
      }
    };
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) await sendOne(next++);
      }),
    );

    const code = await exited;
    expect(code).toBe(0);
    expect(stack.output()).toContain('"msg":"stopped"');
    expect(signalledAt).toBeLessThan(Infinity);

    const answered = outcomes.filter((o) => o.status === 200);
    const stored = new Set(
      (await db.webhookInbox.findMany({ where: { shop: DEMO_SHOP }, select: { webhookId: true } })).map(
        (d) => d.webhookId,
      ),
    );
    // None lost: every 200 is in the inbox (WebhookInbox) — including the ones in flight when the signal came.
    expect(answered.filter((o) => !stored.has(o.webhookId))).toEqual([]);
    expect(answered.filter((o) => o.startedAt <= signalledAt && o.finishedAt > signalledAt).length).toBeGreaterThan(0);
    // The rest: refused connections or 5xx, both retried by Shopify; never a 4xx that would drop the delivery.
    const rest = outcomes.filter((o) => o.status !== 200);
    expect(rest.length).toBeGreaterThan(0);
    for (const o of rest)
      expect(o.status === "connection error" || (typeof o.status === "number" && o.status >= 500)).toBe(true);
    // And after the signal the server stopped taking new work.
    expect(outcomes.filter((o) => o.startedAt > signalledAt + 1_000 && o.status === 200)).toEqual([]);
  }, 120_000);
});
