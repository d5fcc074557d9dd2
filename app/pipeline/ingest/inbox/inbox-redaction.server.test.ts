import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../../platform/db.server";
import { redactCustomer, redactShop } from "../data-retention.server";
import { applyNextBatch } from "./apply-batch.server";
import { DEFAULT_DATASET, ShopDataset, type GeneratedOrder } from "../../../../test/emulator/generator";
import { customerPayload, orderPayload, refundPayload } from "../../../../test/emulator/shapes";

// customers/redact and shop/redact on the inbox: payloads about the customer go, markers stay, other rows are kept.

const db = createDb(process.env.DATABASE_URL as string, 2);
const SHOP = "inbox-redact.myshopify.com";
const OTHER_SHOP = "inbox-redact-other.myshopify.com";
afterAll(() => db.$disconnect());

const dataset = new ShopDataset({ ...DEFAULT_DATASET, customers: 40, orders: 120 });
const buyers = [...Array(dataset.buyers).keys()].filter((i) => dataset.ordersOfCustomer(i).length >= 3);
const index = buyers[0] ?? 0;
// Unique personal data, so "no payload mentions it" cannot pass by accident or fail on a namesake.
const customer = {
  ...dataset.customer(index),
  firstName: "Redactina",
  lastName: "Vergeetmij",
  email: "redactina.vergeetmij@example.com",
};
const other = dataset.customer(buyers[1] ?? 1);
const [applied, appliedWithRefund, pendingOnly] = dataset.ordersOfCustomer(index) as [
  GeneratedOrder,
  GeneratedOrder,
  GeneratedOrder,
];
const guestOrder = { ...applied, id: 9_100_000_000_001, customerId: null };
const otherOrder = dataset.ordersOfCustomer(other.index)[0] as GeneratedOrder;
const CUSTOMER = BigInt(customer.id);

let n = 0;
function row(shop: string, topic: string, body: object, subject: { customerId?: number | null; orderId?: number }) {
  n += 1;
  return {
    shop,
    webhookId: `redact-${n}`,
    topic,
    headers: { "x-shopify-topic": topic },
    body: JSON.stringify(body),
    customerId: subject.customerId == null ? null : BigInt(subject.customerId),
    orderId: subject.orderId === undefined ? null : BigInt(subject.orderId),
    appliedAt: new Date(),
  };
}

function inboxRows(shop: string) {
  const refund = (o: GeneratedOrder) => refundPayload(o, { id: o.id + 7, createdAt: o.createdAt, amountCents: 100 });
  return [
    row(shop, "customers/create", customerPayload(customer, customer.createdAt, []), { customerId: customer.id }),
    row(shop, "orders/create", orderPayload(applied, customer), { customerId: customer.id, orderId: applied.id }),
    row(shop, "orders/create", orderPayload(appliedWithRefund, customer), {
      customerId: customer.id,
      orderId: appliedWithRefund.id,
    }),
    // A refund names only its order.
    row(shop, "refunds/create", refund(appliedWithRefund), { orderId: appliedWithRefund.id }),
    // Not applied yet: the order is only in the inbox, and so is its refund.
    {
      ...row(shop, "orders/create", orderPayload(pendingOnly, customer), {
        customerId: customer.id,
        orderId: pendingOnly.id,
      }),
      appliedAt: null,
    },
    { ...row(shop, "refunds/create", refund(pendingOnly), { orderId: pendingOnly.id }), appliedAt: null },
    // Listed in orders_to_redact: a guest checkout with their details, linked to no customer.
    row(
      shop,
      "orders/create",
      {
        ...orderPayload(guestOrder),
        email: customer.email,
        billing_address: { first_name: customer.firstName, last_name: customer.lastName },
      },
      { orderId: guestOrder.id },
    ),
    row(shop, "customers/update", customerPayload(other, other.createdAt, ["vip"]), { customerId: other.id }),
    row(shop, "orders/create", orderPayload(otherOrder, other), { customerId: other.id, orderId: otherOrder.id }),
  ];
}

const orderRow = (o: GeneratedOrder) => ({
  shop: SHOP,
  id: BigInt(o.id),
  customerId: CUSTOMER,
  createdAt: o.createdAt,
  processedAt: o.processedAt,
  shopifyUpdatedAt: o.updatedAt,
  currency: "EUR",
  totalPrice: "10.00",
  currentTotalPrice: "10.00",
  totalRefunded: "0.00",
  discountCodes: [],
});

const mentionsCustomer = (body: string | null) =>
  body !== null && [customer.email, customer.firstName, customer.lastName].some((s) => body.includes(s));

beforeAll(async () => {
  await db.webhookInbox.createMany({ data: [...inboxRows(SHOP), ...inboxRows(OTHER_SHOP)] });
  await db.order.createMany({ data: [orderRow(applied), orderRow(appliedWithRefund)] });
  await db.inboxShop.createMany({ data: [{ shop: SHOP }, { shop: OTHER_SHOP }] });
  await db.inboxBatch.createMany({
    data: [SHOP, OTHER_SHOP].map((shop) => ({
      shop,
      worker: "test:1",
      events: 9,
      firstSeq: 1n,
      lastSeq: 9n,
      startedAt: new Date(),
    })),
  });
});

describe("customers/redact on the inbox", () => {
  it("GIVEN inbox payloads about a customer, their orders (applied or still queued), refunds and an order to redact WHEN customers/redact is applied THEN no payload of the shop mentions them, markers name the customer and every order, and other rows keep theirs", async () => {
    expect(
      (await db.webhookInbox.findMany({ where: { shop: SHOP } })).filter((r) => mentionsCustomer(r.body)),
    ).toHaveLength(5);

    await db.$transaction((tx) => redactCustomer(tx, SHOP, CUSTOMER, [BigInt(guestOrder.id)]));

    const rows = await db.webhookInbox.findMany({ where: { shop: SHOP }, orderBy: { seq: "asc" } });
    expect(rows.filter((r) => mentionsCustomer(r.body))).toEqual([]);
    const purged = rows.filter((r) => r.purgedAt !== null);
    expect(purged.map((r) => r.topic)).toEqual([
      "customers/create",
      "orders/create",
      "orders/create",
      "refunds/create",
      "orders/create",
      "refunds/create",
      "orders/create",
    ]);
    expect(purged.every((r) => r.body === null)).toBe(true);
    // The rows themselves stay (their keys still catch Shopify's retries as duplicates).
    expect(rows).toHaveLength(9);
    // The other customer's payloads are untouched.
    expect(rows.filter((r) => r.purgedAt === null).map((r) => JSON.parse(r.body ?? "null"))).toEqual([
      expect.objectContaining({ email: other.email }),
      expect.objectContaining({ id: otherOrder.id }),
    ]);
    const markers = await db.redactionMarker.findMany({
      where: { shop: SHOP },
      orderBy: [{ kind: "asc" }, { id: "asc" }],
    });
    expect(markers.map((m) => [m.kind, m.id])).toEqual([
      ["customer", CUSTOMER],
      ...[applied.id, appliedWithRefund.id, pendingOnly.id, guestOrder.id]
        .sort((a, b) => a - b)
        .map((id) => ["order", BigInt(id)]),
    ]);
    // The same shop's twin rows in another shop are not touched.
    expect(
      (await db.webhookInbox.findMany({ where: { shop: OTHER_SHOP } })).filter((r) => mentionsCustomer(r.body)),
    ).toHaveLength(5);
    expect(await db.redactionMarker.count({ where: { shop: OTHER_SHOP } })).toBe(0);
  });

  it("GIVEN the customer was redacted WHEN Shopify sends customers/redact again THEN it succeeds and changes nothing more", async () => {
    const before = await db.redactionMarker.count({ where: { shop: SHOP } });
    await db.$transaction((tx) => redactCustomer(tx, SHOP, CUSTOMER, [BigInt(guestOrder.id)]));
    expect(await db.redactionMarker.count({ where: { shop: SHOP } })).toBe(before);
  });
});

describe("shop/redact on the inbox", () => {
  it("GIVEN a shop's inbox, batches, turn and markers WHEN shop/redact is applied THEN all of them are gone and the other shop keeps its own", async () => {
    const counts = async (shop: string) => [
      await db.webhookInbox.count({ where: { shop } }),
      await db.inboxBatch.count({ where: { shop } }),
      await db.inboxShop.count({ where: { shop } }),
      await db.redactionMarker.count({ where: { shop } }),
    ];
    await db.redactionMarker.create({ data: { shop: OTHER_SHOP, kind: "customer", id: 1n } });
    expect(await counts(SHOP)).toEqual([9, 1, 1, 5]);

    await db.$transaction((tx) => redactShop(tx, SHOP));

    expect(await counts(SHOP)).toEqual([0, 0, 0, 0]);
    expect(await counts(OTHER_SHOP)).toEqual([9, 1, 1, 1]);
  });
});

describe("a late retry after customers/redact, through the applier", () => {
  const shop = "inbox-redact-late.myshopify.com";
  const order = pendingOnly;

  /** Applies batches until this shop has nothing pending (other files' shops may be served on the way). */
  async function drain() {
    for (let i = 0; i < 100; i++) {
      if ((await db.webhookInbox.count({ where: { shop, appliedAt: null, deadAt: null } })) === 0) return;
      await applyNextBatch({ db, worker: "test:1", batchSize: 500 });
    }
    throw new Error("the inbox did not drain");
  }

  it("GIVEN an applied order and then customers/redact for its customer WHEN Shopify retries the order's webhook late THEN the applier drops it: no order, no customer, and its payload is emptied", async () => {
    await db.shop.create({ data: { shop, ianaTimezone: "Europe/Amsterdam", currencyCode: "EUR" } });
    const orderEvent = (webhookId: string) => ({
      ...row(shop, "orders/create", orderPayload(order, customer), { customerId: customer.id, orderId: order.id }),
      webhookId,
      appliedAt: null,
    });
    await db.webhookInbox.create({ data: orderEvent("late-original") });
    await drain();
    // The applier works on these rows: the order is stored (so the drop below is not for want of trying).
    expect(await db.order.count({ where: { shop, id: BigInt(order.id) } })).toBe(1);

    const redact = {
      shop_id: 1,
      shop_domain: shop,
      customer: { id: customer.id, email: customer.email },
      orders_to_redact: [],
    };
    await db.webhookInbox.create({
      data: { ...row(shop, "customers/redact", redact, { customerId: customer.id }), appliedAt: null },
    });
    await drain();
    expect(await db.order.count({ where: { shop, id: BigInt(order.id) } })).toBe(0);

    // After the prune forgot the original delivery, Shopify's retry is a new inbox row.
    const late = await db.webhookInbox.create({ data: orderEvent("late-retry") });
    await drain();

    expect(await db.order.count({ where: { shop, id: BigInt(order.id) } })).toBe(0);
    expect(await db.customer.count({ where: { shop, id: CUSTOMER } })).toBe(0);
    const retried = await db.webhookInbox.findUniqueOrThrow({ where: { shop_seq: { shop, seq: late.seq } } });
    expect(retried.appliedAt).not.toBeNull();
    expect(retried.body).toBeNull();
    const bodies = await db.webhookInbox.findMany({ where: { shop }, select: { body: true } });
    expect(bodies.filter((r) => mentionsCustomer(r.body))).toEqual([]);
  });
});
