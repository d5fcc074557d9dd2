import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { startDemoStack, type DemoStack } from "../demo/stack";
import { BROWSER_UA, embeddedAppUrl, openApp } from "../support/merchant";
import { installAndBackfill } from "../support/install";
import { waitFor } from "../support/wait";
import { customerPayload, orderPayload } from "../emulator/shapes";
import { NOT_APPROVED } from "../emulator/protected-data";
import { ADMIN_API_VERSION } from "../../app/shopify/admin-client.server";
import { routeShopifyToEmulator } from "../emulator/shopify-origin-routing";

// Protected customer data (https://shopify.dev/docs/apps/launch/protected-customer-data), per shop in the emulator.
const REDACTED_SHOP = "ids-only.myshopify.com";
const DENIED_SHOP = "no-customer-data.myshopify.com";
let stack: DemoStack;
const db = createDb(process.env.DATABASE_URL as string, 2);

beforeAll(async () => {
  stack = await startDemoStack({
    databaseUrl: process.env.DATABASE_URL as string,
    dataset: { customers: 30, orders: 90 },
  });
  routeShopifyToEmulator(stack.emulator.url);
  stack.emulator.addShop({
    domain: REDACTED_SHOP,
    name: "Ids Only",
    dataset: { customers: 60, orders: 180, seed: 3 },
    protectedCustomerData: { level1: true, fields: [] },
  });
  stack.emulator.addShop({
    domain: DENIED_SHOP,
    name: "No Customer Data",
    dataset: { customers: 40, orders: 120, seed: 4 },
    protectedCustomerData: { level1: false, fields: [] },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await db.$disconnect();
});

/** The shop's offline token, as the app stored it at install. */
async function offlineToken(shop: string): Promise<string> {
  const session = await db.session.findUniqueOrThrow({ where: { id: `offline_${shop}` } });
  return session.accessToken;
}

async function adminGraphql(shop: string, query: string) {
  const response = await fetch(`https://${shop}/admin/api/${ADMIN_API_VERSION}/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": await offlineToken(shop) },
    body: JSON.stringify({ query }),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      data: Record<string, unknown> | null;
      errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
    },
  };
}

describe("protected customer data: level 1 without the name, email, phone and address fields", () => {
  it("GIVEN an app approved for level 1 only WHEN installed THEN backfill, scoring and tag write-back run on ids and no name or email is stored", async () => {
    await installAndBackfill(stack, db, REDACTED_SHOP);
    const emulated = stack.emulator.shop(REDACTED_SHOP);
    const scored = await db.customerScore.count({ where: { shop: REDACTED_SHOP } });
    expect(scored).toBeGreaterThan(0);
    expect(await db.order.count({ where: { shop: REDACTED_SHOP } })).toBe([...emulated.orders()].length);
    // Every scored customer carries the app's tags in Shopify.
    const states = await db.customerTagState.findMany({ where: { shop: REDACTED_SHOP } });
    expect(states).toHaveLength(scored);
    for (const s of states.slice(0, 10)) {
      const customer = emulated.customer(Number(s.customerId));
      expect(customer && emulated.customerTagList(customer)).toEqual(expect.arrayContaining(s.tags));
    }
    // Customers the app learned of (from Shopify's customers/update echoes) have ids, never names or emails.
    const customers = await db.customer.findMany({ where: { shop: REDACTED_SHOP } });
    expect(customers.length).toBeGreaterThan(0);
    expect(customers.filter((c) => c.firstName !== null || c.lastName !== null || c.email !== null)).toEqual([]);
  }, 240_000);

  it("THEN the app recorded which fields Shopify withholds and the dashboard says so, in English and Dutch", async () => {
    const shop = await db.shop.findUniqueOrThrow({ where: { shop: REDACTED_SHOP } });
    expect(shop.customerDataAccess).toBe("redacted");
    expect([...shop.customerDataRedacted].sort()).toEqual(["address", "email", "name", "phone"]);
    const { status, html } = await openApp(stack, REDACTED_SHOP);
    expect(status).toBe(200);
    expect(html).toContain('id="customer-data-redacted"');
    expect(html).toContain("names, email addresses, phone numbers, addresses");
    expect(html).toContain("API access requests");
    const nl = await fetch(await embeddedAppUrl(stack.emulator.adminUrl(REDACTED_SHOP, { locale: "nl" })), {
      headers: { "User-Agent": BROWSER_UA },
    });
    expect(await nl.text()).toContain("namen, e-mailadressen, telefoonnummers, adressen");
  });

  it("THEN the segment and customer pages say it once each and name nobody by id, in English and Dutch", async () => {
    const top = await db.customerScore.findFirstOrThrow({
      where: { shop: REDACTED_SHOP },
      orderBy: { monetary: "desc" },
    });
    const id = String(top.customerId);
    const open = async (path: string, locale: "en" | "nl") => {
      const src = new URL(await embeddedAppUrl(stack.emulator.adminUrl(REDACTED_SHOP, { locale })));
      src.pathname = path;
      const response = await fetch(src, { headers: { "User-Agent": BROWSER_UA } });
      expect(response.status).toBe(200);
      return response.text();
    };
    for (const [locale, withheld] of [
      ["en", "Name withheld by Shopify"],
      ["nl", "Naam afgeschermd door Shopify"],
    ] as const) {
      for (const path of [`/app/segments/${top.segment}`, `/app/customers/${id}`]) {
        const html = await open(path, locale);
        expect(html.split('id="customer-data-redacted"')).toHaveLength(2);
        expect(html).toContain(withheld);
        expect(html).toContain(`ID ${id}`);
        expect(html).not.toContain(`>#${id}<`);
      }
    }
  });

  it("GIVEN the same app WHEN it reads a customer THEN Shopify's answer: the fields null, an error per field, the rest intact", async () => {
    const { status, body } = await adminGraphql(
      REDACTED_SHOP,
      `{ customers(first: 1) { nodes { id tags firstName defaultEmailAddress { emailAddress marketingState } } } }`,
    );
    expect(status).toBe(200);
    const node = (body.data?.customers as { nodes: Record<string, unknown>[] }).nodes[0];
    expect(node?.id).toMatch(/^gid:\/\/shopify\/Customer\/\d+$/);
    expect(node?.firstName).toBeNull();
    // CustomerEmailAddress.emailAddress is non-null in the schema: its redaction nulls the whole object.
    expect(node?.defaultEmailAddress).toBeNull();
    expect(node?.tags).toEqual(expect.any(Array));
    expect(body.errors?.map((e) => e.path?.slice(-1)[0]).sort()).toEqual(["emailAddress", "firstName"]);
    expect(body.errors?.every((e) => e.message === NOT_APPROVED("Customer"))).toBe(true);
  });

  it("GIVEN orders/updated and customers/update for a known customer THEN both are delivered and applied, the stored customer without name or email", async () => {
    const emulated = stack.emulator.shop(REDACTED_SHOP);
    const order = [...emulated.orders()].find((o) => o.customerId !== null);
    if (!order?.customerId) throw new Error("the dataset has no customer order");
    const customer = emulated.customer(order.customerId);
    const sent = await stack.emulator.deliver(REDACTED_SHOP, "orders/updated", orderPayload(order, customer));
    expect(sent.status).toBe(200);
    const updated = stack.emulator.deliveries.filter((d) => d.shop === REDACTED_SHOP && d.topic === "orders/updated");
    expect(updated).toHaveLength(1);
    if (!customer) throw new Error("no customer");
    const echo = await stack.emulator.deliver(
      REDACTED_SHOP,
      "customers/update",
      customerPayload(customer, new Date(), emulated.customerTagList(customer)),
    );
    expect(echo.status).toBe(200);
    const row = await db.customer.findUniqueOrThrow({
      where: { shop_id: { shop: REDACTED_SHOP, id: BigInt(customer.id) } },
    });
    expect(row).toMatchObject({ firstName: null, lastName: null, email: null });
  });
});

describe("protected customer data: no level-1 approval", () => {
  it("GIVEN an app without level 1 WHEN the merchant opens it THEN the page loads and says plainly that customers and orders cannot be read", async () => {
    const { status, html } = await openApp(stack, DENIED_SHOP);
    expect(status).toBe(200);
    expect(html).toContain("No Customer Data");
    expect(html).toContain('id="customer-data-denied"');
    expect(html).toContain("not approved for protected customer data");
    const shop = await db.shop.findUniqueOrThrow({ where: { shop: DENIED_SHOP } });
    expect(shop.customerDataAccess).toBe("denied");
  });

  it("THEN the backfill fails with Shopify's ACCESS_DENIED, nothing about customers is stored, and the app keeps running", async () => {
    const run = await waitFor(
      "the denied shop's sync to finish",
      async () => {
        const r = await db.syncRun.findFirst({ where: { shop: DENIED_SHOP }, orderBy: { startedAt: "asc" } });
        return r && (r.status === "completed" || r.status === "failed") ? r : undefined;
      },
      90_000,
    );
    expect(run).toMatchObject({ status: "failed", errorCode: "ACCESS_DENIED" });
    expect(run.message).toMatch(/protected customer data/);
    expect(await db.order.count({ where: { shop: DENIED_SHOP } })).toBe(0);
    expect(await db.customer.count({ where: { shop: DENIED_SHOP } })).toBe(0);
    // What still works: the settings page (nothing there needs customer data).
    const token = stack.emulator.sessionToken(DENIED_SHOP);
    const settings = await fetch(`${stack.appUrl}/app/settings.data?_routes=routes%2Fapp.settings`, {
      headers: { Authorization: `Bearer ${token}`, "User-Agent": BROWSER_UA },
    });
    expect(settings.status).toBe(200);
  }, 120_000);

  it("THEN Shopify refuses customers and orders with its documented error, and sends no customer or order webhooks", async () => {
    for (const [query, object] of [
      ["{ customers(first: 1) { nodes { id } } }", "Customer"],
      ["{ orders(first: 1) { nodes { id } } }", "Order"],
    ] as const) {
      const { status, body } = await adminGraphql(DENIED_SHOP, query);
      expect(status).toBe(200);
      expect(body.data).toBeNull();
      expect(body.errors?.[0]).toMatchObject({ message: NOT_APPROVED(object), extensions: { code: "ACCESS_DENIED" } });
    }
    const emulated = stack.emulator.shop(DENIED_SHOP);
    const order = [...emulated.orders()][0];
    if (!order) throw new Error("no order");
    expect((await stack.emulator.deliver(DENIED_SHOP, "orders/create", orderPayload(order))).status).toBe(0);
    expect(stack.emulator.deliveries.filter((d) => d.shop === DENIED_SHOP && d.topic.startsWith("orders/"))).toEqual(
      [],
    );
    // The mandatory compliance webhooks still come.
    const redact = await stack.emulator.deliver(DENIED_SHOP, "customers/redact", {
      shop_id: 1,
      shop_domain: DENIED_SHOP,
      customer: { id: 1 },
      orders_to_redact: [],
    });
    expect(redact.status).toBe(200);
  });
});
