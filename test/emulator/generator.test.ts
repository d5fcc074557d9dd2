import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ShopDataset, peakNameFor, type DatasetSpec } from "./generator";

const spec: DatasetSpec = {
  seed: 7,
  customers: 3_000,
  orders: 9_000,
  from: "2023-01-01",
  to: "2026-11-20",
  currency: "EUR",
};

function digest(ds: ShopDataset): string {
  const hash = createHash("sha256");
  for (const o of ds.orders()) hash.update(JSON.stringify(o));
  for (const c of ds.customers()) hash.update(JSON.stringify(c));
  return hash.digest("hex");
}

describe("ShopDataset", () => {
  it("is deterministic for a seed and differs across seeds", () => {
    expect(digest(new ShopDataset(spec))).toBe(digest(new ShopDataset(spec)));
    expect(digest(new ShopDataset({ ...spec, seed: 8 }))).not.toBe(digest(new ShopDataset(spec)));
  });

  it("regenerates any customer on its own, identical to the stream", () => {
    const ds = new ShopDataset(spec);
    const streamed = [...ds.customers()][1234];
    expect(ds.customer(1234)).toEqual(streamed);
    const fromStream = [...ds.orders()].filter((o) => o.customerId === ds.customerId(1234));
    expect(ds.ordersOfCustomer(1234)).toEqual(fromStream);
  });

  it("lands near the requested size and counts without building orders", () => {
    const ds = new ShopDataset(spec);
    const n = [...ds.orders()].length;
    expect(Math.abs(n - spec.orders) / spec.orders).toBeLessThan(0.05);
    expect(ds.countOrders()).toBe(n);
  });

  it("has a long-tailed spend: the top 20 % of customers bring 55–65 % of revenue", () => {
    const ds = new ShopDataset({ ...spec, customers: 20_000, orders: 60_000 });
    const spend = new Map<number, number>();
    for (const o of ds.orders()) {
      if (o.customerId === null || o.test || o.cancelledAt) continue;
      spend.set(o.customerId, (spend.get(o.customerId) ?? 0) + o.currentTotalCents);
    }
    const values = [...spend.values()].sort((a, b) => b - a);
    const total = values.reduce((a, b) => a + b, 0);
    const top = values.slice(0, Math.ceil(values.length * 0.2)).reduce((a, b) => a + b, 0);
    expect(top / total).toBeGreaterThanOrEqual(0.55);
    expect(top / total).toBeLessThanOrEqual(0.65);
  });

  it("contains every kind of order and customer an RFM app must handle", () => {
    const ds = new ShopDataset(spec);
    const orders = [...ds.orders()];
    const customers = [...ds.customers()];
    const share = (f: (o: (typeof orders)[number]) => boolean) => orders.filter(f).length / orders.length;
    expect(share((o) => o.customerId === null)).toBeGreaterThan(0.05);
    expect(share((o) => o.test)).toBeGreaterThan(0);
    expect(share((o) => o.cancelledAt !== null)).toBeGreaterThan(0.01);
    expect(share((o) => o.refunds.length > 0 && o.cancelledAt === null)).toBeGreaterThan(0.02);
    expect(share((o) => o.totalRefundedCents === o.totalCents && o.cancelledAt === null)).toBeGreaterThan(0);
    expect(share((o) => o.discountCodes.length > 0)).toBeGreaterThan(0.1);
    expect(share((o) => o.presentmentCurrency !== "EUR")).toBeGreaterThan(0.05);
    expect(customers.filter((c) => c.tags.length > 0).length / customers.length).toBeGreaterThan(0.2);
    const perCustomer = new Map<number, number>();
    for (const o of orders)
      if (o.customerId !== null) perCustomer.set(o.customerId, (perCustomer.get(o.customerId) ?? 0) + 1);
    const repeaters = [...perCustomer.values()].filter((n) => n > 1).length / perCustomer.size;
    expect(repeaters).toBeGreaterThan(0.3);
    expect(repeaters).toBeLessThan(0.8);
    // Prospects: accounts that never ordered.
    expect(customers.length - perCustomer.size).toBeGreaterThan(0);
    for (const o of orders) {
      expect(o.currentTotalCents).toBe(o.totalCents - o.totalRefundedCents);
      expect(o.lineItems.reduce((s, li) => s + li.amountCents, 0)).toBe(o.totalCents);
    }
  });

  it("puts seasonal peaks on Black Friday, Christmas and Mother's Day", () => {
    const ds = new ShopDataset({ ...spec, customers: 10_000, orders: 30_000 });
    const perDay = new Map<string, number>();
    for (const o of ds.orders()) {
      const day = o.createdAt.toISOString().slice(0, 10);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    const days = [...perDay.values()];
    const averageDay = days.reduce((a, b) => a + b, 0) / days.length;
    expect((perDay.get("2025-11-28") ?? 0) / averageDay).toBeGreaterThan(2.5); // Black Friday 2025
    expect(peakNameFor(Date.parse("2025-12-10T12:00:00Z"))).toBe("christmas");
    expect(peakNameFor(Date.parse("2025-05-08T12:00:00Z"))).toBe("mothers_day");
  });

  it("gives order, line item and refund ids that never repeat and are exact in JSON", () => {
    const ids = new Set<number>();
    for (const o of new ShopDataset(spec).orders()) {
      for (const id of [o.id, ...o.lineItems.map((li) => li.id), ...o.refunds.map((r) => r.id)]) {
        expect(ids.has(id)).toBe(false);
        ids.add(id);
      }
      expect(Number.isSafeInteger(o.id)).toBe(true);
      for (const li of o.lineItems) expect(Number.isSafeInteger(li.id)).toBe(true);
      for (const r of o.refunds) expect(Number.isSafeInteger(r.id)).toBe(true);
    }
  });

  it("streams: walking 300 000 orders does not hold them in memory", () => {
    const ds = new ShopDataset({ ...spec, customers: 60_000, orders: 300_000 });
    const base = process.memoryUsage().heapUsed;
    let peak = base;
    let n = 0;
    for (const _o of ds.orders()) {
      if (++n % 20_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    expect(n).toBeGreaterThan(280_000);
    // Holding them would take several hundred MB.
    expect((peak - base) / 1e6).toBeLessThan(80);
  });
});
