import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { BROWSER_UA, embeddedAppUrl, openApp } from "../support/merchant";
import { DEMO_SHOP, startDemoStack, type DemoStack } from "./stack";

let stack: DemoStack;
const db = createDb(process.env.DATABASE_URL as string, 2);

beforeAll(async () => {
  stack = await startDemoStack({ databaseUrl: process.env.DATABASE_URL as string });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await db.$disconnect();
});

describe("the demo stack (embedded database, Admin API emulator, app)", () => {
  it("GIVEN a merchant opening the app from the admin THEN the home page renders the shop's name from Shopify", async () => {
    const { status, html } = await openApp(stack);
    expect(status).toBe(200);
    expect(html).toContain("Demo Webwinkel");
    expect(html).toContain("Europe/Amsterdam");
    // App Bridge comes from the emulated admin, never a hard-coded CDN in tests.
    expect(html).toContain(`${stack.emulator.url}/app-bridge.js`);
  }, 120_000);

  it("THEN the token exchange stored an expiring offline session and the install", async () => {
    const session = await db.session.findUnique({ where: { id: `offline_${DEMO_SHOP}` } });
    expect(session).toMatchObject({ shop: DEMO_SHOP, isOnline: false });
    expect(session?.refreshToken).toMatch(/^shprt_/);
    expect(session?.expires?.getTime()).toBeGreaterThan(Date.now());
    expect(stack.emulator.shop(DEMO_SHOP).tokenIsValid(session?.accessToken)).toBe(true);
    const shop = await db.shop.findUnique({ where: { shop: DEMO_SHOP } });
    expect(shop).toMatchObject({
      name: "Demo Webwinkel",
      currencyCode: "EUR",
      ianaTimezone: "Europe/Amsterdam",
      planDisplayName: "Basic",
      uninstalledAt: null,
    });
  });

  it("THEN the sync-shop-info job enqueued after install runs in the worker", async () => {
    // Rename the shop in Shopify; the worker's job must pick the change up.
    const first = await db.shop.findUniqueOrThrow({ where: { shop: DEMO_SHOP } });
    const deadline = Date.now() + 30_000;
    let jobs: { state: string }[] = [];
    while (Date.now() < deadline) {
      jobs = await db.$queryRaw<
        { state: string }[]
      >`SELECT state::text FROM pgboss.job WHERE name = 'shop.sync-info' AND data->>'shop' = ${DEMO_SHOP}`;
      if (jobs.some((j) => j.state === "completed")) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(jobs.map((j) => j.state)).toContain("completed");
    const after = await db.shop.findUniqueOrThrow({ where: { shop: DEMO_SHOP } });
    expect(after.infoSyncedAt?.getTime()).toBeGreaterThanOrEqual(first.infoSyncedAt?.getTime() ?? 0);
  });

  it("GIVEN a forged session token THEN the app refuses and creates no session", async () => {
    const url = new URL(await embeddedAppUrl(stack.adminUrl));
    const forged = url.searchParams.get("id_token")?.replace(/\.[^.]+$/, ".AAAA") ?? "";
    url.searchParams.set("id_token", forged);
    url.searchParams.set("shop", "intruder.myshopify.com");
    const response = await fetch(url, { headers: { "User-Agent": BROWSER_UA }, redirect: "manual" });
    expect(response.status).not.toBe(200);
    expect(await db.session.count({ where: { shop: "intruder.myshopify.com" } })).toBe(0);
  });

  it("GIVEN a client-side data request THEN a bearer session token authenticates it (App Bridge's fetch)", async () => {
    const token = stack.emulator.sessionToken(DEMO_SHOP);
    const response = await fetch(`${stack.appUrl}/app.data?_routes=routes%2Fapp._index`, {
      headers: { Authorization: `Bearer ${token}`, "User-Agent": BROWSER_UA },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Demo Webwinkel");
    const anonymous = await fetch(`${stack.appUrl}/app.data?_routes=routes%2Fapp._index`, {
      headers: { "User-Agent": BROWSER_UA },
    });
    expect(anonymous.status).not.toBe(200);
  });
});
