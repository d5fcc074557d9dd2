import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../db.server";
import { paceFor } from "../../shopify/pacing.server";
import type { AdminClient, QueryCost } from "../../shopify/admin-client.server";
import { throttleWaitCounts } from "../ops-counters.server";
import { renderMetrics } from "./metrics.server";
import { parsePrometheus } from "../../../test/support/prometheus";

const db = createDb(process.env.DATABASE_URL as string, 2);
afterAll(() => db.$disconnect());

/** An Admin client whose last answer reported a nearly empty bucket; it is never asked to send anything here. */
function clientWithBucket(shop: string, currentlyAvailable: number): AdminClient {
  const lastCost: QueryCost = {
    requestedQueryCost: 100,
    actualQueryCost: 100,
    throttleStatus: { maximumAvailable: 2000, currentlyAvailable, restoreRate: 100 },
  };
  return {
    shop,
    lastCost,
    redactedFields: new Set(),
    request: () => Promise.reject(new Error("not used")),
    requestRendered: () => Promise.reject(new Error("not used")),
  };
}

describe("Admin API throttle waits in /metrics", () => {
  it("GIVEN pacing waits for the bucket THEN the waits and seconds are counted per shop and reported", async () => {
    const shop = "paced-shop.myshopify.com";
    const now = 1_000_000;
    const slept: number[] = [];
    const deps = {
      admin: clientWithBucket(shop, 50),
      now: () => now,
      sleep: async (ms: number) => void slept.push(ms),
    };
    // 250 points wanted, 50 there, 100/s restored: 2 s; then 150 wanted: 1 s. A call that fits waits nothing.
    expect(await paceFor(deps, 250, now)).toBe(2000);
    expect(await paceFor(deps, 150, now)).toBe(1000);
    expect(await paceFor(deps, 10, now)).toBe(0);
    expect(slept).toEqual([2000, 1000]);
    expect(throttleWaitCounts().filter((c) => c.shop === shop)).toEqual([
      { shop, kind: "paced", waits: 2, seconds: 3 },
    ]);

    const metrics = parsePrometheus(
      await renderMetrics({ db, deadLetters: async () => [{ queue: "rfm.rescore", failed: 3 }] }),
    );
    const sample = (name: string) =>
      metrics.samples.find((s) => s.name === name && s.labels.shop === shop && s.labels.kind === "paced")?.value;
    expect(sample("rfm_admin_api_throttle_waits_total")).toBe(2);
    expect(sample("rfm_admin_api_throttle_wait_seconds_total")).toBe(3);
    expect(metrics.samples.find((s) => s.name === "rfm_dead_letter_jobs")).toEqual({
      name: "rfm_dead_letter_jobs",
      labels: { queue: "rfm.rescore" },
      value: 3,
    });
  });
});

describe("the webhook inbox in /metrics", () => {
  it("GIVEN one shop with a backlog and dead letters and one caught up THEN lag, pending, dead letters and applied totals are reported per shop", async () => {
    const now = new Date("2026-12-02T12:00:00Z");
    const behind = "inbox-behind.myshopify.com";
    const caughtUp = "inbox-caught-up.myshopify.com";
    const at = (secondsAgo: number) => new Date(now.getTime() - secondsAgo * 1000);
    const event = (shop: string, i: number, receivedAt: Date, state: "applied" | "pending" | "dead") => ({
      shop,
      webhookId: `metrics-${shop}-${i}`,
      topic: "orders/create",
      headers: {},
      body: "{}",
      receivedAt,
      ...(state === "applied" ? { appliedAt: receivedAt } : {}),
      ...(state === "dead" ? { deadAt: receivedAt, attempts: 3, lastError: "boom" } : {}),
    });
    await db.webhookInbox.createMany({
      data: [
        event(behind, 1, at(300), "applied"),
        event(behind, 2, at(200), "dead"),
        event(behind, 3, at(90), "pending"),
        event(behind, 4, at(10), "pending"),
        event(caughtUp, 1, at(50), "applied"),
      ],
    });
    await db.inboxShop.createMany({ data: [{ shop: behind, prunedEvents: 1000n }, { shop: caughtUp }] });
    const batch = (shop: string, events: number) => ({
      shop,
      worker: "host:1",
      events,
      firstSeq: 1n,
      lastSeq: 1n,
      startedAt: at(60),
    });
    await db.inboxBatch.createMany({ data: [batch(behind, 1), batch(caughtUp, 400), batch(caughtUp, 99)] });

    const metrics = parsePrometheus(await renderMetrics({ db, deadLetters: async () => [], now: () => now }));
    const value = (name: string, shop: string) =>
      metrics.samples.find((s) => s.name === name && s.labels.shop === shop)?.value;

    expect(metrics.types).toMatchObject({
      rfm_inbox_lag_seconds: "gauge",
      rfm_inbox_pending_events: "gauge",
      rfm_inbox_dead_letters: "gauge",
      rfm_inbox_applied_events_total: "counter",
    });
    // Lag is the oldest pending event's age; a dead letter does not hold it up.
    expect(value("rfm_inbox_lag_seconds", behind)).toBe(90);
    expect(value("rfm_inbox_pending_events", behind)).toBe(2);
    expect(value("rfm_inbox_dead_letters", behind)).toBe(1);
    expect(value("rfm_inbox_applied_events_total", behind)).toBe(1001);
    expect(value("rfm_inbox_lag_seconds", caughtUp)).toBe(0);
    expect(value("rfm_inbox_pending_events", caughtUp)).toBe(0);
    expect(value("rfm_inbox_dead_letters", caughtUp)).toBe(0);
    expect(value("rfm_inbox_applied_events_total", caughtUp)).toBe(499);
  });
});
