import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../platform/db.server";
import { ingestOrdersJsonl } from "./bulk-ingest.server";
import { ShopDataset, type GeneratedOrder } from "../../../test/emulator/generator";
import { orderNode, orderPayload } from "../../../test/emulator/shapes";
import { drainInbox } from "./inbox/inbox-applier.server";

const SHOP = "ingest-test.myshopify.com";
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
const db = createDb(process.env.DATABASE_URL as string, 2);

function dataset(): ShopDataset {
  return new ShopDataset({
    seed: 11,
    customers: 120,
    orders: 400,
    from: "2024-01-01",
    to: "2026-11-01",
    currency: "EUR",
  });
}

/** A bulk result file for a dataset, children written after their parent's next sibling (groupObjects: false). */
function jsonl(): string[] {
  const ds = dataset();
  const lines: string[] = [];
  let held: string[] = [];
  for (const o of ds.orders()) {
    const node = orderNode(o, Date.now());
    const { lineItems, ...order } = node;
    lines.push(JSON.stringify({ ...order, customer: order.customer ? { id: order.customer.id } : null }));
    lines.push(...held);
    held = lineItems({}).nodes.map((li) =>
      JSON.stringify({
        id: li.id,
        quantity: li.quantity,
        vendor: li.vendor,
        product: li.product,
        discountedTotalSet: li.discountedTotalSet,
        __parentId: node.id,
      }),
    );
  }
  lines.push(...held);
  return lines;
}

async function* bytes(lines: string[], failAfter?: number): AsyncGenerator<Uint8Array> {
  let sent = 0;
  for (let i = 0; i < lines.length; i += 7) {
    const chunk = lines.slice(i, i + 7).join("\n") + "\n";
    // Split mid-line too: the reader must not care where chunks break.
    const cut = Math.floor(chunk.length / 2);
    yield Buffer.from(chunk.slice(0, cut));
    yield Buffer.from(chunk.slice(cut));
    sent += 7;
    if (failAfter !== undefined && sent >= failAfter) throw new Error("connection reset by peer");
  }
}

async function snapshot(shop = SHOP) {
  const [orders, lines, refunds] = await Promise.all([
    db.order.findMany({ where: { shop }, orderBy: { id: "asc" } }),
    db.orderLine.findMany({ where: { shop }, orderBy: [{ orderId: "asc" }, { id: "asc" }] }),
    db.refund.findMany({ where: { shop }, orderBy: { id: "asc" } }),
  ]);
  return JSON.stringify({ orders: orders.map(({ ingestedAt: _i, ...o }) => o), lines, refunds }, (_k, v) =>
    typeof v === "bigint" ? v.toString() : v,
  );
}

async function newRun(id: string, shop = SHOP) {
  await db.syncRun.create({ data: { shop, id, kind: "backfill", status: "ingesting" } });
}

beforeAll(async () => {
  await db.shop.createMany({
    data: [SHOP, RACE_SHOP, RACE_SHOP_2, PLAIN_SHOP, MERGE_SHOP, TOMBSTONE_SHOP].map((shop) => ({ shop })),
  });
});

const RACE_SHOP = "ingest-race.myshopify.com";
const RACE_SHOP_2 = "ingest-race-2.myshopify.com";
const PLAIN_SHOP = "ingest-plain.myshopify.com";
const MERGE_SHOP = "ingest-merged.myshopify.com";
const TOMBSTONE_SHOP = "ingest-tombstone.myshopify.com";
let webhookN = 0;

/** orders/updated webhooks in the shop's inbox: each order's state moved by `shiftMs` and a current total of 1.23. */
async function webhooks(shop: string, orders: GeneratedOrder[], shiftMs: number) {
  await db.webhookInbox.createMany({
    data: orders.map((o) => ({
      shop,
      webhookId: `race-${++webhookN}`,
      topic: "orders/updated",
      headers: { "x-shopify-topic": "orders/updated" },
      body: JSON.stringify(
        orderPayload({ ...o, updatedAt: new Date(o.updatedAt.getTime() + shiftMs), currentTotalCents: 123 }),
      ),
      customerId: o.customerId === null ? null : BigInt(o.customerId),
      orderId: BigInt(o.id),
    })),
  });
}

afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

describe("ingestOrdersJsonl", () => {
  const lines = jsonl();

  it("GIVEN a file whose children arrive after other orders THEN every order, line item and refund lands once", async () => {
    await newRun("clean");
    const result = await ingestOrdersJsonl({ pool, shop: SHOP, runId: "clean", source: bytes(lines), batchLines: 97 });
    const orders = lines.filter((l) => !l.includes("__parentId")).length;
    expect(result).toEqual({ lines: lines.length, orders });
    expect(await db.order.count({ where: { shop: SHOP } })).toBe(orders);
    expect(await db.orderLine.count({ where: { shop: SHOP } })).toBe(lines.length - orders);
    expect(await db.syncRun.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: "clean" } } })).toMatchObject({
      linesCommitted: lines.length,
      ordersIngested: orders,
    });
  });

  it("GIVEN a download that dies half way THEN the retry resumes after the last committed line and ends identical, with nothing counted twice", async () => {
    const clean = await snapshot();
    await db.$executeRawUnsafe(`DELETE FROM "Order" WHERE shop = $1`, SHOP);
    await db.$executeRawUnsafe(`DELETE FROM "OrderLine" WHERE shop = $1`, SHOP);
    await db.$executeRawUnsafe(`DELETE FROM "Refund" WHERE shop = $1`, SHOP);
    await newRun("crashy");

    await expect(
      ingestOrdersJsonl({ pool, shop: SHOP, runId: "crashy", source: bytes(lines, 500), batchLines: 97 }),
    ).rejects.toThrow(/connection reset/);
    const afterCrash = await db.syncRun.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: "crashy" } } });
    expect(afterCrash.linesCommitted % 97).toBe(0);
    expect(afterCrash.linesCommitted).toBeGreaterThan(0);
    expect(afterCrash.linesCommitted).toBeLessThan(lines.length);

    const resumed = await ingestOrdersJsonl({
      pool,
      shop: SHOP,
      runId: "crashy",
      source: bytes(lines),
      skipLines: afterCrash.linesCommitted,
      ordersAlready: afterCrash.ordersIngested,
      batchLines: 97,
    });
    expect(resumed.lines).toBe(lines.length);
    expect(resumed.orders).toBe(lines.filter((l) => !l.includes("__parentId")).length);
    expect(await snapshot()).toBe(clean);

    // Redoing the whole file (a second attempt from scratch) changes nothing either.
    await ingestOrdersJsonl({ pool, shop: SHOP, runId: "crashy", source: bytes(lines), batchLines: 500 });
    expect(await snapshot()).toBe(clean);
  });

  it("GIVEN a newer order state from a webhook THEN an older bulk line does not overwrite it", async () => {
    const first = JSON.parse(lines[0] as string) as { id: string; updatedAt: string };
    const id = BigInt(first.id.split("/").pop() as string);
    const later = new Date(Date.parse(first.updatedAt) + 86_400_000);
    await db.order.update({
      where: { shop_id: { shop: SHOP, id } },
      data: { shopifyUpdatedAt: later, currentTotalPrice: "1.2300" },
    });
    await newRun("stale");
    await ingestOrdersJsonl({ pool, shop: SHOP, runId: "stale", source: bytes(lines.slice(0, 50)) });
    const row = await db.order.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id } } });
    expect(row.currentTotalPrice.toString()).toBe("1.23");
    expect(row.shopifyUpdatedAt.toISOString()).toBe(later.toISOString());
  });

  it("GIVEN live webhooks for the same orders, before, during and after the backfill THEN the newest updated_at wins either way, and lines already stored take the upsert path", async () => {
    const orders = [...dataset().orders()];
    const newer = orders.filter((_, i) => i % 3 === 0);
    const older = orders.filter((_, i) => i % 3 === 1);
    // Webhooks first (their lines are then stored: the direct line COPY meets them and falls back), then the file.
    await webhooks(RACE_SHOP, newer, 86_400_000);
    await webhooks(RACE_SHOP, older, -86_400_000);
    await drainInbox(db, { batchSize: 50 });
    await newRun("race", RACE_SHOP);
    await ingestOrdersJsonl({ pool, shop: RACE_SHOP, runId: "race", source: bytes(lines), batchLines: 97 });
    // The other way round, interleaved: the applier drains while the file is ingested.
    await newRun("race", RACE_SHOP_2);
    await webhooks(RACE_SHOP_2, newer, 86_400_000);
    await webhooks(RACE_SHOP_2, older, -86_400_000);
    await Promise.all([
      ingestOrdersJsonl({ pool, shop: RACE_SHOP_2, runId: "race", source: bytes(lines), batchLines: 97 }),
      drainInbox(db, { batchSize: 20 }),
    ]);
    for (const shop of [RACE_SHOP, RACE_SHOP_2]) {
      const stored = new Map(
        (await db.order.findMany({ where: { shop } })).map((o) => [o.id, o.currentTotalPrice.toString()]),
      );
      expect(stored.size).toBe(orders.length);
      for (const o of newer) expect(stored.get(BigInt(o.id))).toBe("1.23");
      for (const o of older) expect(stored.get(BigInt(o.id))).toBe((o.currentTotalCents / 100).toString());
      expect(await db.orderLine.count({ where: { shop } })).toBe(lines.length - orders.length);
    }
  });

  it("GIVEN a customer merge or a deleted order stored before a first backfill THEN the merged-away customer's orders name the kept one and the tombstone stays, the rest exactly as a plain first backfill stores it", async () => {
    const first = JSON.parse(lines[0] as string) as { id: string; customer: { id: string } };
    const orderId = BigInt(first.id.split("/").pop() as string);
    const mergedAway = BigInt(first.customer.id.split("/").pop() as string);
    const kept = 424242n;
    await db.customerMerge.create({ data: { shop: MERGE_SHOP, fromId: mergedAway, intoId: kept } });
    const tombstone = {
      shop: TOMBSTONE_SHOP,
      id: orderId,
      createdAt: new Date("2020-01-01"),
      processedAt: new Date("2020-01-01"),
      shopifyUpdatedAt: new Date("2020-01-01"),
      deletedAt: new Date("2020-01-02"),
      currency: "EUR",
      totalPrice: "0",
      currentTotalPrice: "0",
      totalRefunded: "0",
    };
    await db.order.create({ data: tombstone });
    for (const shop of [PLAIN_SHOP, MERGE_SHOP, TOMBSTONE_SHOP]) {
      await newRun("first", shop);
      await ingestOrdersJsonl({ pool, shop, runId: "first", source: bytes(lines), batchLines: 97 });
    }
    const plain = JSON.parse(await snapshot(PLAIN_SHOP)) as { orders: { id: string; customerId: string | null }[] };
    const mergedAwayOrders = plain.orders.filter((o) => o.customerId === String(mergedAway)).map((o) => o.id);
    expect(mergedAwayOrders.length).toBeGreaterThan(0);
    const merged = JSON.parse(await snapshot(MERGE_SHOP)) as typeof plain;
    expect(merged.orders.filter((o) => o.customerId === String(kept)).map((o) => o.id)).toEqual(mergedAwayOrders);
    expect(merged.orders.filter((o) => o.customerId === String(mergedAway))).toEqual([]);
    const withTombstone = await db.order.findUniqueOrThrow({
      where: { shop_id: { shop: TOMBSTONE_SHOP, id: orderId } },
    });
    expect(withTombstone.deletedAt?.toISOString()).toBe(tombstone.deletedAt.toISOString());
    const others = (shop: string) =>
      snapshot(shop).then((s) => {
        const all = JSON.parse(s) as { orders: { id: string; shop: string }[]; lines: unknown[]; refunds: unknown[] };
        return JSON.stringify({
          orders: all.orders.filter((o) => o.id !== String(orderId)).map((o) => ({ ...o, shop: "" })),
          lines: all.lines.length,
          refunds: all.refunds.length,
        });
      });
    expect(await others(TOMBSTONE_SHOP)).toBe(await others(PLAIN_SHOP));
  });
});
