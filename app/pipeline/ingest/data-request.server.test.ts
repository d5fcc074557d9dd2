import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../platform/db.server";
import { exportCustomerData, exportedTables, exportForDataRequest, listDataRequests } from "./data-request.server";
import { redactCustomer } from "./data-retention.server";

const db = createDb(process.env.DATABASE_URL as string, 2);
const SHOP = "export-test.myshopify.com";
const OTHER_SHOP = "export-other.myshopify.com";
const CUSTOMER = 7001n;
const OTHER_CUSTOMER = 7002n;

interface Field {
  name: string;
  type: string;
  list: boolean;
  optional: boolean;
  defaulted: boolean;
}

/** Every model of prisma/schema.prisma with its scalar fields, read from the schema file itself. */
function schemaModels(): Map<string, Field[]> {
  const text = readFileSync(new URL("../../../prisma/schema.prisma", import.meta.url), "utf8");
  const models = new Map<string, Field[]>();
  for (const m of text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const fields: Field[] = [];
    for (const line of (m[2] ?? "").split("\n")) {
      const f = /^\s+(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line.replace(/\/\/.*$/, ""));
      if (!f || (f[1] ?? "").startsWith("@")) continue;
      fields.push({
        name: f[1] ?? "",
        type: f[2] ?? "",
        list: f[3] === "[]",
        optional: f[4] === "?",
        defaulted: /@default\(autoincrement\(\)\)|@default\(uuid\(\)\)/.test(f[5] ?? ""),
      });
    }
    models.set(m[1] ?? "", fields);
  }
  return models;
}

/**
 * How a model is keyed to a customer: the fields that carry the customer's id, or the field that carries one of the
 * customer's orders' ids. Customer (id), Order (customerId, id), CustomerMerge (fromId, intoId), tables with
 * customerId, and order children (orderId).
 */
function customerKeys(model: string, fields: Field[]): { customer: string[]; order: string[] } | null {
  const names = new Set(fields.map((f) => f.name));
  if (model === "Customer") return { customer: ["id"], order: [] };
  if (model === "Order") return { customer: ["customerId"], order: ["id"] };
  const customer = ["customerId", "fromId", "intoId"].filter((n) => names.has(n));
  const order = names.has("orderId") ? ["orderId"] : [];
  return customer.length + order.length > 0 ? { customer, order } : null;
}

const models = schemaModels();
const keyed = [...models].flatMap(([model, fields]) => {
  const keys = customerKeys(model, fields);
  return keys ? [{ model, fields, keys }] : [];
});

let counter = 1;
/** One row of `model` for the customer (every scalar filled: keys with the customer's ids, the rest made up). */
function rowFor(shop: string, customerId: bigint, spec: (typeof keyed)[number]): Record<string, unknown> {
  const orderId = customerId * 10n;
  const row: Record<string, unknown> = {};
  for (const f of spec.fields) {
    if (f.defaulted) continue;
    const n = counter++;
    let value: unknown;
    if (f.name === "shop") value = shop;
    else if (spec.keys.customer.includes(f.name)) value = customerId;
    else if (spec.keys.order.includes(f.name)) value = orderId;
    else if (f.type === "String") value = `${f.name}-${n}`;
    else if (f.type === "BigInt") value = BigInt(n);
    else if (f.type === "Int") value = n;
    else if (f.type === "Float") value = n + 0.5;
    else if (f.type === "Boolean") value = true;
    else if (f.type === "DateTime") value = new Date(Date.UTC(2026, 0, 1 + (n % 300)));
    else if (f.type === "Decimal") value = `${n}.25`;
    else if (f.type === "Json") value = { n };
    else throw new Error(`${spec.model}.${f.name}: no made-up value for type ${f.type}`);
    row[f.name] = f.list ? [value] : value;
  }
  return row;
}

type Delegate = { createMany(args: { data: Record<string, unknown>[] }): Promise<unknown> };
function delegate(model: string): Delegate {
  const key = model.charAt(0).toLowerCase() + model.slice(1);
  const d: unknown = Reflect.get(db, key);
  if (!d || typeof d !== "object" || !("createMany" in d)) throw new Error(`no Prisma delegate for ${model}`);
  return d as Delegate;
}

async function countFor(shop: string, customerId: bigint): Promise<Record<string, number>> {
  const data = await exportCustomerData(db, shop, customerId);
  return Object.fromEntries(Object.entries(data.tables).map(([m, rows]) => [m, rows.length]));
}

async function seed(): Promise<void> {
  for (const spec of keyed)
    await delegate(spec.model).createMany({
      data: [rowFor(SHOP, CUSTOMER, spec), rowFor(SHOP, OTHER_CUSTOMER, spec), rowFor(OTHER_SHOP, CUSTOMER, spec)],
    });
}

async function clear(): Promise<void> {
  for (const shop of [SHOP, OTHER_SHOP])
    for (const id of [CUSTOMER, OTHER_CUSTOMER]) await db.$transaction((tx) => redactCustomer(tx, shop, id));
}

beforeAll(async () => {
  await clear();
  await seed();
});

afterAll(async () => {
  await clear();
  await db.$disconnect();
});

describe("customers/data_request export covers every customer-keyed table of the schema", () => {
  it("GIVEN the Prisma schema THEN the export reads exactly the tables that carry a customer or order key", () => {
    expect(keyed.map((k) => k.model)).toEqual(expect.arrayContaining(["Customer", "Order", "OrderLine", "Refund"]));
    expect([...exportedTables].sort()).toEqual(keyed.map((k) => k.model).sort());
  });

  it("GIVEN one row per table for the customer, another customer and another shop WHEN exported THEN exactly the customer's rows, JSON-safe", async () => {
    const data = await exportCustomerData(db, SHOP, CUSTOMER);
    for (const spec of keyed) {
      const rows = data.tables[spec.model] ?? [];
      expect(rows, spec.model).toHaveLength(1);
      const row = rows[0] as Record<string, unknown>;
      expect(row.shop, spec.model).toBe(SHOP);
      for (const k of spec.keys.customer) expect(row[k], `${spec.model}.${k}`).toBe(CUSTOMER.toString());
      for (const k of spec.keys.order) expect(row[k], `${spec.model}.${k}`).toBe((CUSTOMER * 10n).toString());
    }
    // The file the merchant downloads round-trips through JSON unchanged.
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    const order = data.tables.Order?.[0] as Record<string, unknown>;
    expect(typeof order.totalPrice).toBe("string");
    expect(order.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("GIVEN a stored data request WHEN listed and downloaded THEN the request shows the rows held and exports its customer", async () => {
    const webhookId = "data-request-export-1";
    await db.complianceRequest.create({
      data: {
        shop: SHOP,
        webhookId,
        topic: "customers/data_request",
        customerId: CUSTOMER,
        ordersRequested: [CUSTOMER * 10n],
        payload: { customer: { id: Number(CUSTOMER) } },
      },
    });
    const list = await listDataRequests(db, SHOP);
    const row = list.find((r) => r.webhookId === webhookId);
    expect(row).toMatchObject({ customerId: CUSTOMER.toString(), ordersRequested: 1 });
    expect(row?.rowsHeld).toBe(keyed.length - 1);
    const data = await exportForDataRequest(db, SHOP, webhookId);
    expect(data?.request?.webhookId).toBe(webhookId);
    expect(data?.tables.ComplianceRequest).toHaveLength(2);
    expect(await exportForDataRequest(db, OTHER_SHOP, webhookId)).toBeNull();
  });

  it("GIVEN the same rows WHEN customers/redact erases the customer THEN every customer-keyed table is empty for them and untouched for the others", async () => {
    await db.$transaction((tx) => redactCustomer(tx, SHOP, CUSTOMER));
    const gone = await countFor(SHOP, CUSTOMER);
    for (const spec of keyed) expect(gone[spec.model], spec.model).toBe(0);
    const other = await countFor(SHOP, OTHER_CUSTOMER);
    const otherShop = await countFor(OTHER_SHOP, CUSTOMER);
    for (const spec of keyed) {
      expect(other[spec.model], spec.model).toBe(1);
      expect(otherShop[spec.model], spec.model).toBe(1);
    }
  });
});
