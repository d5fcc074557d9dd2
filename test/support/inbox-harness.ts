import { expect } from "vitest";
import type pg from "pg";
import type { Db } from "../../app/platform/db.server";
import { recomputeShopAggregates } from "../../app/pipeline/aggregate/aggregates.server";
import { WEBHOOK_TOPICS } from "../../app/pipeline/ingest/webhook-topics.server";
import { formatCents, ShopDataset, type GeneratedCustomer } from "../emulator/generator";
import { customerPayload } from "../emulator/shapes";
import { Random } from "../emulator/random";
import { intendedOrders, orderLifeEvents, pairMerges, shuffle } from "./live-stream";
import {
  actualAggregates,
  diffAggregates,
  expectedAggregates,
  type ExpectedAggregate,
  type TruthOrder,
} from "./expected-aggregates";

/**
 * A shop with a backfilled history and a realistic live stream of webhooks waiting in its inbox, as the receiver
 * would have stored it (shuffled, redelivered, duplicate ids skipped), plus what the applier must end with:
 * the aggregates computed independently from the intended final state of every order.
 */

export const SHOP_TIME_ZONE = "Europe/Amsterdam";
const DAY = 86_400_000;
const isoDay = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10);

export interface Delivery {
  shop: string;
  topic: string;
  webhookId: string;
  eventId: string;
  payload: unknown;
}

export interface ShopScenario {
  shop: string;
  /** Deliveries in arrival order, redeliveries included. */
  deliveries: Delivery[];
  /** Distinct events: the rows the inbox holds once the deliveries are stored. */
  events: number;
  truth: TruthOrder[];
  merged: Map<number, number>;
  deletedOrders: number[];
  freshOrders: number[];
  /** customers/update: the newest state of each profile that must win. */
  profiles: { id: number; tags: string[]; updatedAt: Date }[];
  deletedCustomers: number[];
  /** The aggregates right after the backfill, before any webhook. */
  before: Map<string, ExpectedAggregate>;
}

export interface ScenarioSize {
  seed: number;
  /** Backfilled history. */
  customers: number;
  orders: number;
  /** Orders placed while the app is live (each one creates, and may update, cancel, refund or delete). */
  liveOrders: number;
}

const money = (cents: number) => formatCents(cents);

/** Writes the shop and its backfilled customers and orders (as the bulk export would), then their aggregates. */
async function seedShop(db: Db, shop: string, dataset: ShopDataset): Promise<void> {
  await db.shop.create({
    data: {
      shop,
      name: shop,
      currencyCode: dataset.spec.currency,
      ianaTimezone: SHOP_TIME_ZONE,
      // No ordersSyncedAt: the workers' hourly dispatch would start a full scoring run for the shop, whose re-score
      // then consumes PendingRescore; without a full run the re-score job leaves it as the applier queued it.
      customersSyncedAt: new Date(),
    },
  });
  const customers = [...dataset.customers()];
  await db.customer.createMany({ data: customers.map((c) => customerRow(shop, c)) });
  const orders = [...dataset.orders()];
  await db.order.createMany({
    data: orders.map((o) => ({
      shop,
      id: BigInt(o.id),
      customerId: o.customerId === null ? null : BigInt(o.customerId),
      name: o.name,
      createdAt: o.createdAt,
      processedAt: o.processedAt,
      shopifyUpdatedAt: o.updatedAt,
      cancelledAt: o.cancelledAt,
      test: o.test,
      currency: o.shopCurrency,
      totalPrice: money(o.totalCents),
      currentTotalPrice: money(o.currentTotalCents),
      totalRefunded: money(o.totalRefundedCents),
      presentmentTotalPrice: money(Math.round(o.totalCents * o.presentmentRate)),
      discountCodes: o.discountCodes,
    })),
  });
  await db.orderLine.createMany({
    data: orders.flatMap((o) =>
      o.lineItems.map((li) => ({
        shop,
        orderId: BigInt(o.id),
        id: BigInt(li.id),
        productId: BigInt(li.productId),
        vendor: li.vendor,
        quantity: li.quantity,
        amount: money(li.amountCents),
      })),
    ),
  });
  await db.refund.createMany({
    data: orders.flatMap((o) =>
      o.refunds.map((r) => ({
        shop,
        id: BigInt(r.id),
        orderId: BigInt(o.id),
        createdAt: r.createdAt,
        amount: money(r.amountCents),
      })),
    ),
  });
  await recomputeShopAggregates(db, shop);
}

function customerRow(shop: string, c: GeneratedCustomer) {
  return {
    shop,
    id: BigInt(c.id),
    email: c.email,
    firstName: c.firstName,
    lastName: c.lastName,
    locale: c.locale,
    tags: c.tags,
    phone: c.phone,
    countryCode: c.countryCode,
    emailMarketingState: c.emailMarketing,
    emailMarketingOptInLevel: c.emailOptInLevel,
    emailMarketingUpdatedAt: c.emailConsentUpdatedAt,
    smsMarketingState: c.sms?.state ?? null,
    smsMarketingOptInLevel: c.sms?.optInLevel ?? null,
    smsMarketingUpdatedAt: c.sms?.updatedAt ?? null,
    shopifyCreatedAt: c.createdAt,
    shopifyUpdatedAt: c.createdAt,
  };
}

/**
 * Seeds the shop and builds its live stream: creates, no-op updates, cancellations, refunds (both as orders/updated
 * and refunds/create), deletes, customer profile updates (one newer than the other, shuffled), deletes of customers
 * without orders, merges; a quarter redelivered with the same webhook id and some with a new webhook id for the same
 * event; then shuffled, as concurrent deliveries arrive.
 */
/** Shopify's ids are unique across shops: each test shop takes its own customer id range. */
export function customerIdBase(shopIndex: number): number {
  return 7_000_000_000_000 + shopIndex * 10_000_000;
}

/** A shop with only its backfilled history (orders over the last 300 to 45 days). */
export async function seedHistory(
  db: Db,
  shop: string,
  size: Pick<ScenarioSize, "seed" | "customers" | "orders">,
  shopIndex: number,
): Promise<ShopDataset> {
  const history = new ShopDataset({
    seed: size.seed,
    customers: size.customers,
    orders: size.orders,
    from: isoDay(300),
    to: isoDay(45),
    currency: "EUR",
    customerIdBase: customerIdBase(shopIndex),
  });
  await seedShop(db, shop, history);
  return history;
}

export async function prepareShop(db: Db, shop: string, size: ScenarioSize, shopIndex: number): Promise<ShopScenario> {
  const history = await seedHistory(db, shop, size, shopIndex);
  const before = actualAggregates(await db.customerAggregate.findMany({ where: { shop } }));

  const rng = new Random(size.seed * 31 + 7);
  const live = new ShopDataset({
    seed: size.seed + 1000,
    customers: size.customers,
    orders: size.liveOrders,
    from: isoDay(40),
    to: isoDay(1),
    currency: "EUR",
    customerIdBase: customerIdBase(shopIndex),
  });
  const backfilled = new Set([...history.orders()].map((o) => o.id));
  const fresh = [...live.orders()].filter((o) => !backfilled.has(o.id) && o.customerId !== null);

  const { events, finalState } = orderLifeEvents(
    fresh,
    (o) => live.customer(live.customerIndex(o.customerId as number) as number),
    rng,
    { noopUpdates: true },
  );

  // Merges: the second buyer of each pair is kept.
  const merged = new Map<number, number>();
  events.push(...pairMerges([...new Set(fresh.map((o) => o.customerId as number))], merged));

  // Profile updates of customers not merged away: the newer one (with a tag) must win whatever the arrival order.
  const profiles: ShopScenario["profiles"] = [];
  const kept = [...live.customers()].filter((c) => !merged.has(c.id) && ![...merged.values()].includes(c.id));
  for (const c of kept.slice(0, Math.min(30, kept.length))) {
    const older = new Date(Date.now() - 3_600_000);
    const newer = new Date(Date.now() - 1_800_000);
    const tags = [...c.tags, "vip-newsletter"];
    events.push({ topic: "customers/update", payload: customerPayload(c, older, c.tags) });
    events.push({ topic: "customers/update", payload: customerPayload(c, newer, tags) });
    profiles.push({ id: c.id, tags, updatedAt: newer });
  }
  // Customers without orders (prospects) deleted in Shopify: an update may arrive after the delete.
  const prospects = [...live.customers()].filter((c) => c.index >= live.buyers).slice(0, 3);
  for (const c of prospects) {
    events.push({ topic: "customers/update", payload: customerPayload(c, new Date(Date.now() - 600_000), c.tags) });
    events.push({ topic: "customers/delete", payload: { id: c.id } });
  }

  const deliveries: Delivery[] = [];
  events.forEach((e, i) => {
    const event: Delivery = { ...e, shop, webhookId: `wh-${shopIndex}-${i}`, eventId: `ev-${shopIndex}-${i}` };
    deliveries.push(event);
    // Shopify retries with the same webhook id; a re-sent event can come with a new webhook id.
    if (rng.chance(0.25)) deliveries.push(event);
    if (rng.chance(0.05)) deliveries.push({ ...event, webhookId: `wh-${shopIndex}-${i}-resent` });
  });
  shuffle(deliveries, rng);

  const truth = intendedOrders(history.orders(), finalState, merged);
  return {
    shop,
    deliveries,
    events: events.length,
    truth,
    merged,
    deletedOrders: [...finalState.entries()].filter(([, v]) => v.deleted).map(([id]) => id),
    freshOrders: [...finalState.keys()],
    profiles,
    deletedCustomers: prospects.map((c) => c.id),
    before,
  };
}

/** Interleaves several shops' streams, as their deliveries would arrive at the same time. */
export function interleave(streams: Delivery[][], seed: number): Delivery[] {
  const rng = new Random(seed);
  const queues = streams.map((s) => [...s]);
  const out: Delivery[] = [];
  for (;;) {
    const open = queues.filter((q) => q.length > 0);
    if (open.length === 0) return out;
    // Weighted by what is left, so a big shop's stream does not end long after the small ones.
    const total = open.reduce((s, q) => s + q.length, 0);
    let pick = rng.next() * total;
    const queue = open.find((q) => (pick -= q.length) < 0) ?? (open[0] as Delivery[]);
    out.push(queue.shift() as Delivery);
  }
}

/**
 * Stores deliveries as the receiver does: headers and the raw body, the payload's subject beside it, in arrival
 * order, a delivery or event already stored skipped (ON CONFLICT DO NOTHING). Returns the rows stored.
 */
export async function fillInbox(pool: pg.Pool, deliveries: Delivery[]): Promise<number> {
  let stored = 0;
  for (let i = 0; i < deliveries.length; i += 2_000) {
    const chunk = deliveries.slice(i, i + 2_000);
    const rows = chunk.map((d) => {
      const topic = WEBHOOK_TOPICS[d.topic];
      if (!topic) throw new Error(`no topic ${d.topic}`);
      const subject = topic.subject?.(topic.schema.parse(d.payload)) ?? {};
      return {
        ...d,
        headers: JSON.stringify({
          "x-shopify-topic": d.topic,
          "x-shopify-shop-domain": d.shop,
          "x-shopify-webhook-id": d.webhookId,
          "x-shopify-event-id": d.eventId,
          "x-shopify-api-version": "2026-10",
          "x-shopify-triggered-at": new Date().toISOString(),
        }),
        body: JSON.stringify(d.payload),
        customerId: subject.customerId ?? null,
        orderId: subject.orderId ?? null,
      };
    });
    const result = await pool.query(
      `INSERT INTO "WebhookInbox" (shop, "webhookId", topic, "eventId", headers, body, "customerId", "orderId")
       SELECT d.shop, d.webhook_id, d.topic, d.event_id, d.headers::jsonb, d.body, d.customer_id, d.order_id
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int8[], $8::int8[])
         WITH ORDINALITY AS d(shop, webhook_id, topic, event_id, headers, body, customer_id, order_id, n)
       ORDER BY d.n
       ON CONFLICT DO NOTHING`,
      [
        rows.map((r) => r.shop),
        rows.map((r) => r.webhookId),
        rows.map((r) => r.topic),
        rows.map((r) => r.eventId),
        rows.map((r) => r.headers),
        rows.map((r) => r.body),
        rows.map((r) => (r.customerId === null ? null : String(r.customerId))),
        rows.map((r) => (r.orderId === null ? null : String(r.orderId))),
      ],
    );
    stored += result.rowCount ?? 0;
  }
  return stored;
}

/** Events still waiting for the applier (neither applied nor set aside) in these shops. */
export async function pendingEvents(pool: pg.Pool, shops: string[]): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "WebhookInbox" WHERE shop = ANY($1) AND "appliedAt" IS NULL AND "deadAt" IS NULL`,
    [shops],
  );
  return rows[0]?.n ?? 0;
}

/**
 * Every stored event applied exactly once: each row applied by one committed batch whose ledger row counts it, the
 * shop's batches in id order covering disjoint, increasing seq ranges (so no event applied twice and none before an
 * earlier one of its shop), and nothing set aside. Returns the shop's batches.
 */
export async function expectAppliedOnceInOrder(pool: pg.Pool, scenario: ShopScenario) {
  const { shop } = scenario;
  const rows = await pool.query<{ seq: string; batchId: string | null; applied: boolean; dead: boolean }>(
    `SELECT seq::text, "batchId"::text AS "batchId", "appliedAt" IS NOT NULL AS applied, "deadAt" IS NOT NULL AS dead
     FROM "WebhookInbox" w WHERE shop = $1 ORDER BY w.seq`,
    [shop],
  );
  expect(rows.rows.length, `${shop}: one inbox row per distinct event`).toBe(scenario.events);
  expect(
    rows.rows.filter((r) => r.dead),
    `${shop}: dead letters`,
  ).toEqual([]);
  expect(
    rows.rows.filter((r) => !r.applied || r.batchId === null),
    `${shop}: unapplied rows`,
  ).toEqual([]);

  const batches = (
    await pool.query<{ id: string; worker: string; events: number; firstSeq: string; lastSeq: string }>(
      `SELECT id::text, worker, events, "firstSeq"::text AS "firstSeq", "lastSeq"::text AS "lastSeq"
       FROM "InboxBatch" b WHERE shop = $1 ORDER BY b.id`,
      [shop],
    )
  ).rows;
  const byId = new Map(batches.map((b) => [b.id, b]));
  const counted = new Map<string, number>();
  const problems: string[] = [];
  for (const r of rows.rows) {
    const batch = byId.get(r.batchId ?? "");
    if (!batch) {
      problems.push(`seq ${r.seq}: batch ${r.batchId} has no InboxBatch row`);
      continue;
    }
    if (BigInt(r.seq) < BigInt(batch.firstSeq) || BigInt(r.seq) > BigInt(batch.lastSeq))
      problems.push(`seq ${r.seq} outside its batch ${batch.id} [${batch.firstSeq}, ${batch.lastSeq}]`);
    counted.set(batch.id, (counted.get(batch.id) ?? 0) + 1);
  }
  for (const b of batches) {
    if ((counted.get(b.id) ?? 0) !== b.events)
      problems.push(`batch ${b.id} says ${b.events} events, ${counted.get(b.id) ?? 0} rows name it`);
  }
  for (let i = 1; i < batches.length; i++) {
    const [prev, next] = [batches[i - 1], batches[i]];
    if (prev && next && BigInt(prev.lastSeq) >= BigInt(next.firstSeq))
      problems.push(`batch ${next.id} [${next.firstSeq}…] does not follow batch ${prev.id} […${prev.lastSeq}]`);
  }
  expect(problems, `${shop}: exactly once, in order`).toEqual([]);
  expect(batches.reduce((s, b) => s + b.events, 0)).toBe(scenario.events);
  return batches;
}

/** Nothing of the stream reached the shop's data: no live order, the aggregates as backfilled, no re-score queued. */
export async function expectNothingApplied(db: Db, pool: pg.Pool, scenario: ShopScenario): Promise<void> {
  const { shop } = scenario;
  expect(await db.order.count({ where: { shop, id: { in: scenario.freshOrders.map(BigInt) } } })).toBe(0);
  const now = actualAggregates(await db.customerAggregate.findMany({ where: { shop } }));
  expect(diffAggregates(scenario.before, now), `${shop}: aggregates moved`).toEqual([]);
  expect(await db.pendingRescore.count({ where: { shop } })).toBe(0);
  const jobs = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'rfm.rescore' AND data->>'shop' = $1`,
    [shop],
  );
  expect(jobs.rows[0]?.n ?? 0).toBe(0);
}

/**
 * The shop's state equals what the stream intended: incremental aggregates = a full recomputation = the independent
 * oracle; deleted orders stay deleted, merged-away customers own nothing, the newest profile won, deleted customers
 * stay deleted; and every customer whose aggregate changed waits for its re-score, which a job was sent for.
 */
export async function expectShopSettled(db: Db, pool: pg.Pool, scenario: ShopScenario): Promise<void> {
  const { shop } = scenario;
  const incremental = actualAggregates(await db.customerAggregate.findMany({ where: { shop } }));
  await recomputeShopAggregates(db, shop);
  const recomputed = await db.customerAggregate.findMany({ where: { shop } });
  expect(diffAggregates(incremental, actualAggregates(recomputed)), `${shop}: incremental vs recomputed`).toEqual([]);
  const expected = expectedAggregates(scenario.truth, {
    timeZone: SHOP_TIME_ZONE,
    windowEnd: (id) => recomputed.find((r) => String(r.customerId) === id)?.windowEnd ?? new Date(),
  });
  expect(diffAggregates(expected, actualAggregates(recomputed)), `${shop}: oracle vs recomputed`).toEqual([]);

  const orders = await db.order.findMany({
    where: { shop, id: { in: scenario.freshOrders.map(BigInt) } },
    select: { id: true, deletedAt: true, customerId: true },
  });
  expect(orders.length, `${shop}: every live order stored`).toBe(scenario.freshOrders.length);
  const deleted = new Set(scenario.deletedOrders.map(String));
  expect(orders.filter((o) => (o.deletedAt !== null) !== deleted.has(String(o.id))).map((o) => String(o.id))).toEqual(
    [],
  );
  expect(await db.order.count({ where: { shop, customerId: { in: [...scenario.merged.keys()].map(BigInt) } } })).toBe(
    0,
  );

  const profiles = await db.customer.findMany({
    where: { shop, id: { in: scenario.profiles.map((p) => BigInt(p.id)) } },
    select: { id: true, tags: true, shopifyUpdatedAt: true },
    orderBy: { id: "asc" },
  });
  expect(
    profiles.map((p) => ({ id: Number(p.id), tags: p.tags, updatedAt: p.shopifyUpdatedAt.toISOString() })),
    `${shop}: the newest profile won`,
  ).toEqual(
    [...scenario.profiles]
      .sort((a, b) => a.id - b.id)
      .map((p) => ({ id: p.id, tags: p.tags, updatedAt: p.updatedAt.toISOString() })),
  );
  expect(
    await db.customer.count({
      where: { shop, id: { in: scenario.deletedCustomers.map(BigInt) }, deletedAt: { not: null } },
    }),
  ).toBe(scenario.deletedCustomers.length);

  // No full run exists yet, so the re-score job leaves PendingRescore as the applier queued it.
  const changed = changedCustomers(scenario.before, incremental);
  expect(changed.length, `${shop}: the stream changed aggregates`).toBeGreaterThan(0);
  const pending = new Set(
    (await db.pendingRescore.findMany({ where: { shop }, select: { customerId: true } })).map((p) =>
      String(p.customerId),
    ),
  );
  expect(
    changed.filter((id) => !pending.has(id)),
    `${shop}: changed customers without a queued re-score`,
  ).toEqual([]);
  const jobs = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'rfm.rescore' AND data->>'shop' = $1`,
    [shop],
  );
  expect(jobs.rows[0]?.n ?? 0, `${shop}: a re-score job was sent`).toBeGreaterThan(0);
}

/** Customers whose aggregate differs between two states (appeared, disappeared or changed). */
function changedCustomers(before: Map<string, ExpectedAggregate>, after: Map<string, ExpectedAggregate>): string[] {
  const only = (m: Map<string, ExpectedAggregate>, id: string) => {
    const a = m.get(id);
    return new Map(a ? [[id, a]] : []);
  };
  return [...new Set([...before.keys(), ...after.keys()])].filter(
    (id) => diffAggregates(only(before, id), only(after, id)).length > 0,
  );
}
