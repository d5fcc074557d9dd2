import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../platform/db.server";
import { ingestCustomersJsonl } from "./bulk-ingest.server";
import { ShopDataset } from "../../../test/emulator/generator";
import { customerNode } from "../../../test/emulator/shapes";
import { profileDifferences } from "../../../test/support/customer-profiles";

const SHOP = "customer-ingest-test.myshopify.com";
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
const db = createDb(process.env.DATABASE_URL as string, 2);
const ds = new ShopDataset({
  seed: 13,
  customers: 300,
  orders: 600,
  from: "2024-01-01",
  to: "2026-11-01",
  currency: "EUR",
});
const customers = [...ds.customers()];
const updatedAt = (i: number) => new Date(Date.UTC(2026, 10, 1) + i * 1000);

/** The customers bulk file: one line per customer, the emulator's GraphQL node (what the export projects). */
const lines = customers.map((c, i) => JSON.stringify(customerNode(c, updatedAt(i), c.tags)));

async function* bytes(all: string[], failAfter?: number): AsyncGenerator<Uint8Array> {
  let sent = 0;
  for (let i = 0; i < all.length; i += 5) {
    const chunk = all.slice(i, i + 5).join("\n") + "\n";
    const cut = Math.floor(chunk.length / 3);
    yield Buffer.from(chunk.slice(0, cut));
    yield Buffer.from(chunk.slice(cut));
    sent += 5;
    if (failAfter !== undefined && sent >= failAfter) throw new Error("connection reset by peer");
  }
}

async function snapshot() {
  const rows = await db.customer.findMany({ where: { shop: SHOP }, orderBy: { id: "asc" } });
  return JSON.stringify(rows, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

async function newRun(id: string) {
  await db.syncRun.create({ data: { shop: SHOP, id, kind: "backfill", status: "ingesting" } });
}

const truth = (id: bigint) => customers.find((c) => BigInt(c.id) === id);
const ids = customers.map((c) => BigInt(c.id));

beforeAll(async () => {
  await db.shop.create({ data: { shop: SHOP } });
});

afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

describe("ingestCustomersJsonl", () => {
  it("GIVEN the customers export THEN every customer's name, email, phone, country and consent are stored exactly, customer by customer", async () => {
    await newRun("clean");
    const result = await ingestCustomersJsonl({
      pool,
      shop: SHOP,
      runId: "clean",
      source: bytes(lines),
      batchLines: 41,
    });
    expect(result).toEqual({ lines: lines.length, orders: customers.length });
    const rows = await db.customer.findMany({ where: { shop: SHOP } });
    expect(rows).toHaveLength(customers.length);
    expect(profileDifferences(ids, rows, truth)).toEqual([]);
    const first = rows.find((r) => r.id === ids[0]);
    expect(first?.shopifyUpdatedAt.toISOString()).toBe(updatedAt(0).toISOString());
    expect(first?.tags).toEqual(customers[0]?.tags);
    expect(await db.syncRun.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: "clean" } } })).toMatchObject({
      customersLinesCommitted: lines.length,
      customersIngested: customers.length,
      linesCommitted: 0,
    });
    // The generator spreads consent over every state, so the assertion above covered them all.
    expect(new Set(rows.map((r) => r.emailMarketingState))).toEqual(
      new Set(["SUBSCRIBED", "NOT_SUBSCRIBED", "UNSUBSCRIBED", "PENDING", "INVALID"]),
    );
    expect(new Set(rows.map((r) => r.smsMarketingState))).toEqual(
      new Set(["SUBSCRIBED", "NEVER_SUBSCRIBED", "UNSUBSCRIBED", "PENDING", null]),
    );
  });

  it("GIVEN a download that dies after N lines THEN the resumed ingest skips the committed lines and ends identical", async () => {
    const clean = await snapshot();
    await db.customer.deleteMany({ where: { shop: SHOP } });
    await newRun("crashy");
    await expect(
      ingestCustomersJsonl({ pool, shop: SHOP, runId: "crashy", source: bytes(lines, 130), batchLines: 41 }),
    ).rejects.toThrow(/connection reset/);
    const afterCrash = await db.syncRun.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: "crashy" } } });
    expect(afterCrash.customersLinesCommitted).toBeGreaterThan(0);
    expect(afterCrash.customersLinesCommitted % 41).toBe(0);
    expect(afterCrash.customersLinesCommitted).toBeLessThan(lines.length);
    expect(await db.customer.count({ where: { shop: SHOP } })).toBe(afterCrash.customersLinesCommitted);

    const resumed = await ingestCustomersJsonl({
      pool,
      shop: SHOP,
      runId: "crashy",
      source: bytes(lines),
      skipLines: afterCrash.customersLinesCommitted,
      ordersAlready: afterCrash.customersIngested,
      batchLines: 41,
    });
    expect(resumed).toEqual({ lines: lines.length, orders: customers.length });
    expect(await snapshot()).toBe(clean);
  });

  it("GIVEN a newer state from a webhook and a deleted customer THEN an older bulk line overwrites neither", async () => {
    const [newer, deleted] = ids;
    const later = new Date(updatedAt(0).getTime() + 86_400_000);
    await db.customer.update({
      where: { shop_id: { shop: SHOP, id: newer as bigint } },
      data: { shopifyUpdatedAt: later, smsMarketingState: "UNSUBSCRIBED", email: "changed@example.com" },
    });
    await db.customer.update({
      where: { shop_id: { shop: SHOP, id: deleted as bigint } },
      data: { deletedAt: new Date(), email: null, firstName: null },
    });
    await newRun("stale");
    await ingestCustomersJsonl({ pool, shop: SHOP, runId: "stale", source: bytes(lines) });
    const kept = await db.customer.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: newer as bigint } } });
    expect(kept).toMatchObject({ smsMarketingState: "UNSUBSCRIBED", email: "changed@example.com" });
    expect(kept.shopifyUpdatedAt.toISOString()).toBe(later.toISOString());
    const tomb = await db.customer.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: deleted as bigint } } });
    expect(tomb.deletedAt).not.toBeNull();
    expect(tomb).toMatchObject({ email: null, firstName: null });
    // Everyone else is as the file says.
    expect(profileDifferences(ids.slice(2), await db.customer.findMany({ where: { shop: SHOP } }), truth)).toEqual([]);
  });
});
