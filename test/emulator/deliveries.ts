// The emulator's webhook delivery engine: how Shopify sends webhooks, as documented.
//
// - An event is delivered once per subscription to its topic (two subscriptions to one topic: two deliveries, two
//   X-Shopify-Webhook-Id, one X-Shopify-Event-Id) — https://shopify.dev/docs/apps/build/webhooks/ignore-duplicates
// - A delivery fails when the answer is not 2xx or takes longer than 5 seconds; a failed delivery is "retried a total of
//   8 times over 4 hours using an exponential backoff schedule", "with the original payload from the time they were
//   triggered" (the same body, X-Shopify-Webhook-Id and X-Shopify-Triggered-At on every attempt) —
//   https://shopify.dev/changelog/updates-to-webhook-retry-mechanism, https://shopify.dev/docs/apps/build/webhooks
//   Shopify does not publish the intervals; the emulator doubles the wait each time from 4 h / 255 (≈ 56 s), so the
//   8th retry comes exactly 4 hours after the first attempt.
// - Headers: X-Shopify-Topic, X-Shopify-Hmac-Sha256 (base64 HMAC-SHA256 of the raw body with the app's secret),
//   X-Shopify-Shop-Domain, X-Shopify-API-Version, X-Shopify-Webhook-Id, X-Shopify-Triggered-At, X-Shopify-Event-Id,
//   and X-Shopify-Name for a named subscription — https://shopify.dev/docs/apps/build/webhooks/delivery-structure
// - `filter` gates and `include_fields` shapes each subscription's deliveries (see webhook-filter.ts).
// - Deliveries are concurrent and need not arrive in order; the emulator runs a bounded number per shop at once
//   (Shopify documents no number) and can shuffle the queue for tests.
// All waiting (retry backoff, the 5 s answer timeout) runs on an injectable clock, so tests advance emulated time.
import { randomUUID } from "node:crypto";
import type { WebhookSubscription } from "./app-config";
import { filterMatches, includeFields, parseFilter, type FilterExpr } from "./webhook-filter";
import { signWebhook } from "./webhook-sender";

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Emulated time for tests: nothing happens until `advance` moves it. */
export class TestClock implements Clock {
  private current: number;
  private timers: { id: number; due: number; fn: () => void }[] = [];
  private nextId = 1;
  constructor(start = Date.parse("2026-12-01T12:00:00Z")) {
    this.current = start;
  }
  now(): number {
    return this.current;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ id, due: this.current + Math.max(0, ms), fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  /** Moves time forward by `ms`, firing due timers in order. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.due <= target).sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = due.due;
      due.fn();
      await new Promise((r) => setImmediate(r));
    }
    this.current = target;
  }
  pending(): number {
    return this.timers.length;
  }
}

export const RESPONSE_TIMEOUT_MS = 5_000;
const FOUR_HOURS_MS = 4 * 60 * 60 * 1000;
/** Waits before retry 1..8: doubling, summing to 4 hours. */
export const RETRY_DELAYS_MS: readonly number[] = Array.from({ length: 8 }, (_, i) =>
  Math.round((FOUR_HOURS_MS / 255) * 2 ** i),
);

export interface DeliveryAttempt {
  attempt: number;
  at: string;
  /** The HTTP status, or 0 when there was no answer (timeout, connection refused). */
  status: number;
  outcome: "delivered" | "failed" | "timeout" | "no-connection";
  ms: number;
  error?: string;
}

export interface DeliveryRecord {
  shop: string;
  topic: string;
  uri: string;
  webhookId: string;
  eventId: string;
  triggeredAt: string;
  subscriptionName?: string;
  /** The raw body sent on every attempt. */
  body: string;
  attempts: DeliveryAttempt[];
  state: "queued" | "sending" | "retry-scheduled" | "delivered" | "given-up";
  nextAttemptAt?: string;
  /** Settles once the delivery is delivered or given up. */
  done: Promise<DeliveryRecord>;
  /** Settles with the first attempt's outcome. */
  firstAttempt: Promise<DeliveryAttempt>;
}

export interface SuppressedDelivery {
  shop: string;
  topic: string;
  uri: string;
  eventId: string;
  filter: string;
}

export interface DeliverySummary {
  deliveries: number;
  delivered: number;
  failedAttempts: number;
  retried: number;
  givenUp: number;
  pending: number;
  suppressed: number;
}

export interface DeliveryEngineOptions {
  /** Where the app is served; deliveries go to `${appUrl}${uri}`. */
  appUrl: string | undefined;
  secret: string;
  apiVersion: string;
  subscriptions: WebhookSubscription[];
  clock?: Clock;
  /** Deliveries in flight per shop (default 8). */
  concurrencyPerShop?: number;
  /** Sends queued deliveries in random order (a function returning [0, 1) makes it reproducible). */
  shuffle?: boolean | (() => number);
  responseTimeoutMs?: number;
  retryDelaysMs?: readonly number[];
  /** Told about each failed attempt and each given-up delivery (the demo logs them). */
  onFailure?: (record: DeliveryRecord, attempt: DeliveryAttempt) => void;
}

interface Subscription extends WebhookSubscription {
  parsedFilter?: FilterExpr;
}

export interface DeliveryEngine {
  readonly clock: Clock;
  /** Every delivery (one per subscription and event), with its attempts. */
  readonly records: DeliveryRecord[];
  /** Events a subscription's filter kept from being sent. */
  readonly suppressed: SuppressedDelivery[];
  /** An event on a shop: one delivery per subscription to the topic whose filter matches. */
  trigger(
    shop: string,
    topic: string,
    payload: unknown,
    opts?: { eventId?: string; webhookId?: string; rawBody?: string; hmac?: string },
  ): DeliveryRecord[];
  /** Resolves when nothing is being sent or queued (scheduled retries wait for their time). */
  idle(): Promise<void>;
  summary(): DeliverySummary;
  /** Attempts that failed, and deliveries given up — for logs and reports. */
  problems(): { record: DeliveryRecord; attempts: DeliveryAttempt[] }[];
  close(): void;
}

export function createDeliveryEngine(options: DeliveryEngineOptions): DeliveryEngine {
  const clock = options.clock ?? realClock;
  const limit = options.concurrencyPerShop ?? 8;
  const timeoutMs = options.responseTimeoutMs ?? RESPONSE_TIMEOUT_MS;
  const delays = options.retryDelaysMs ?? RETRY_DELAYS_MS;
  const random = options.shuffle === true ? Math.random : options.shuffle || undefined;
  const subscriptions: Subscription[] = options.subscriptions.map((s) => ({
    ...s,
    // Parsed up front: a filter the emulator does not understand fails at start, not silently at delivery.
    ...(s.filter ? { parsedFilter: parseFilter(s.filter) } : {}),
  }));
  const records: DeliveryRecord[] = [];
  const suppressed: SuppressedDelivery[] = [];
  const queues = new Map<string, { record: DeliveryRecord }[]>();
  const firstResolvers = new Map<DeliveryRecord, (a: DeliveryAttempt) => void>();
  const active = new Map<string, number>();
  const retryTimers = new Set<unknown>();
  const resolvers = new Map<DeliveryRecord, (r: DeliveryRecord) => void>();
  const hmacs = new Map<DeliveryRecord, string | undefined>();
  let idleWaiters: (() => void)[] = [];
  let closed = false;

  const busy = () => [...active.values()].some((n) => n > 0) || [...queues.values()].some((q) => q.length > 0);
  const checkIdle = () => {
    if (busy()) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  function finish(record: DeliveryRecord, state: "delivered" | "given-up") {
    record.state = state;
    delete record.nextAttemptAt;
    resolvers.get(record)?.(record);
    resolvers.delete(record);
    hmacs.delete(record);
  }

  async function attempt(record: DeliveryRecord): Promise<void> {
    record.state = "sending";
    const started = clock.now();
    const controller = new AbortController();
    let timedOut = false;
    const timer = clock.setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const n = record.attempts.length + 1;
    let result: DeliveryAttempt;
    try {
      if (!options.appUrl) throw new Error("the emulated app has no url to deliver webhooks to");
      const headers: Record<string, string> = {
        "Content-Type": "application/json",
        "X-Shopify-Topic": record.topic,
        "X-Shopify-Hmac-Sha256": hmacs.get(record) ?? signWebhook(options.secret, record.body),
        "X-Shopify-Shop-Domain": record.shop,
        "X-Shopify-API-Version": options.apiVersion,
        "X-Shopify-Webhook-Id": record.webhookId,
        "X-Shopify-Triggered-At": record.triggeredAt,
        "X-Shopify-Event-Id": record.eventId,
        ...(record.subscriptionName ? { "X-Shopify-Name": record.subscriptionName } : {}),
      };
      const response = await fetch(`${options.appUrl}${record.uri}`, {
        method: "POST",
        headers,
        body: record.body,
        signal: controller.signal,
      });
      await response.arrayBuffer();
      const ok = response.status >= 200 && response.status < 300;
      result = {
        attempt: n,
        at: new Date(started).toISOString(),
        status: response.status,
        outcome: ok ? "delivered" : "failed",
        ms: clock.now() - started,
      };
    } catch (error) {
      result = {
        attempt: n,
        at: new Date(started).toISOString(),
        status: 0,
        outcome: timedOut ? "timeout" : "no-connection",
        ms: clock.now() - started,
        error: timedOut ? `no answer within ${timeoutMs} ms` : error instanceof Error ? error.message : String(error),
      };
    } finally {
      clock.clearTimeout(timer);
    }
    record.attempts.push(result);
    firstResolvers.get(record)?.(result);
    firstResolvers.delete(record);
    if (result.outcome === "delivered") return finish(record, "delivered");
    const wait = delays[n - 1];
    if (wait === undefined || closed) {
      options.onFailure?.(record, result);
      return finish(record, "given-up");
    }
    options.onFailure?.(record, result);
    record.state = "retry-scheduled";
    record.nextAttemptAt = new Date(clock.now() + wait).toISOString();
    const handle = clock.setTimeout(() => {
      retryTimers.delete(handle);
      if (closed) return;
      enqueue(record);
    }, wait);
    retryTimers.add(handle);
  }

  function pump(shop: string) {
    const queue = queues.get(shop) ?? [];
    while ((active.get(shop) ?? 0) < limit && queue.length > 0 && !closed) {
      const index = random ? Math.floor(random() * queue.length) : 0;
      const [next] = queue.splice(index, 1);
      if (!next) break;
      active.set(shop, (active.get(shop) ?? 0) + 1);
      void attempt(next.record).finally(() => {
        active.set(shop, (active.get(shop) ?? 1) - 1);
        pump(shop);
        checkIdle();
      });
    }
  }

  function enqueue(record: DeliveryRecord) {
    record.state = "queued";
    const queue = queues.get(record.shop) ?? [];
    queues.set(record.shop, queue);
    queue.push({ record });
    pump(record.shop);
  }

  return {
    clock,
    records,
    suppressed,
    trigger(shop, topic, payload, opts = {}) {
      const matching = subscriptions.filter((s) => s.topics.includes(topic));
      if (matching.length === 0) throw new Error(`shopify.app.toml subscribes no uri to ${topic}`);
      const eventId = opts.eventId ?? randomUUID();
      const triggeredAt = new Date(clock.now()).toISOString();
      const created: DeliveryRecord[] = [];
      for (const s of matching) {
        if (s.parsedFilter && s.filter && !filterMatches(s.parsedFilter, payload)) {
          suppressed.push({ shop, topic, uri: s.uri, eventId, filter: s.filter });
          continue;
        }
        const shaped = s.includeFields ? includeFields(payload, s.includeFields) : payload;
        let resolve: (r: DeliveryRecord) => void = () => undefined;
        const done = new Promise<DeliveryRecord>((r) => (resolve = r));
        let first: (a: DeliveryAttempt) => void = () => undefined;
        const firstAttempt = new Promise<DeliveryAttempt>((r) => (first = r));
        const record: DeliveryRecord = {
          shop,
          topic,
          uri: s.uri,
          // A given webhook id (tests resending one delivery) applies to the first subscription only.
          webhookId: (created.length === 0 ? opts.webhookId : undefined) ?? randomUUID(),
          eventId,
          triggeredAt,
          ...(s.name ? { subscriptionName: s.name } : {}),
          body: opts.rawBody ?? JSON.stringify(shaped),
          attempts: [],
          state: "queued",
          done,
          firstAttempt,
        };
        resolvers.set(record, resolve);
        firstResolvers.set(record, first);
        hmacs.set(record, opts.hmac);
        records.push(record);
        created.push(record);
        enqueue(record);
      }
      return created;
    },
    idle() {
      if (!busy()) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    summary() {
      const failedAttempts = records.reduce(
        (n, r) => n + r.attempts.filter((a) => a.outcome !== "delivered").length,
        0,
      );
      return {
        deliveries: records.length,
        delivered: records.filter((r) => r.state === "delivered").length,
        failedAttempts,
        retried: records.filter((r) => r.attempts.length > 1).length,
        givenUp: records.filter((r) => r.state === "given-up").length,
        pending: records.filter((r) => r.state !== "delivered" && r.state !== "given-up").length,
        suppressed: suppressed.length,
      };
    },
    problems() {
      return records
        .map((record) => ({ record, attempts: record.attempts.filter((a) => a.outcome !== "delivered") }))
        .filter((p) => p.attempts.length > 0 || p.record.state === "given-up");
    },
    close() {
      closed = true;
      for (const handle of retryTimers) clock.clearTimeout(handle);
      retryTimers.clear();
      for (const queue of queues.values()) queue.length = 0;
      checkIdle();
    },
  };
}
