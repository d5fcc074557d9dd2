import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { browsersNeverBought } from "../../app/pixel/pixel-events.server";
import { openApp } from "../support/merchant";
import { waitFor } from "../support/wait";
import { progressOf } from "./progress";
import { DEMO_SHOP, startDemoStack, type DemoStack } from "./stack";
import { chooseVisitors, sendStorefrontVisits } from "./storefront";

/**
 * The demo's way of running the app: the production build (NODE_ENV=production) under the emulator preload, the
 * progress it reports and the storefront visits it sends.
 */
let stack: DemoStack;
const db = createDb(process.env.DATABASE_URL as string, 2);

beforeAll(async () => {
  stack = await startDemoStack({
    mode: "production",
    databaseUrl: process.env.DATABASE_URL as string,
    dataset: { customers: 300, orders: 900 },
  });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  await db.$disconnect();
});

describe("the demo stack on the production build", () => {
  it("GIVEN mode production THEN the app serves the built bundle, framed by the emulated admin the preload registered", async () => {
    expect(stack.mode).toBe("production");
    expect(stack.build).not.toBeNull();
    const { status, html } = await openApp(stack);
    expect(status).toBe(200);
    expect(html).toContain("Demo Webwinkel");
    // Built assets, not Vite's dev client compiling modules on request.
    expect(html).toMatch(/\/assets\/[\w-]+\.js/);
    expect(html).not.toContain("/@vite/client");
    // App Bridge from the emulator: it came in through the preload, not through the app's configuration.
    expect(html).toContain(`${stack.emulator.url}/app-bridge.js`);
  }, 120_000);

  it("WHEN the storefront sends visits and email clicks to the pixel endpoint THEN browsers show up and the progress reports every step", async () => {
    const look = progressOf(db, DEMO_SHOP);
    const seen: string[] = [];
    const shop = stack.emulator.shop(DEMO_SHOP);
    const visitors = chooseVisitors(shop);
    expect(visitors.browsers.length).toBeGreaterThan(0);
    const sent = await sendStorefrontVisits(db, shop, visitors);
    expect(sent.views + sent.emailClicks).toBe(visitors.browsers.length + visitors.lapsed.length);
    expect(sent.emailClicks).toBeGreaterThan(0);
    const browsing = await browsersNeverBought(db, DEMO_SHOP);
    expect(browsing.map((b) => Number(b.customerId)).sort()).toEqual([...visitors.browsers].sort());
    expect(await db.customerEngagement.count({ where: { shop: DEMO_SHOP, lastEmailClickAt: { not: null } } })).toBe(
      sent.emailClicks,
    );
    await waitFor(
      "the first write-back",
      async () => {
        const progress = await look();
        seen.push(...progress.lines);
        return progress.settled;
      },
      180_000,
      500,
    );
    expect(seen[0]).toMatch(/^opened: the app is installed/);
    expect(seen.some((l) => /^backfill done: [\d,]+ orders in \d+ s/.test(l))).toBe(true);
    expect(seen.some((l) => /^scoring done: [\d,]+ customers/.test(l))).toBe(true);
    expect(seen.at(-1)).toMatch(/^write-back done: tags on [\d,]+ customers/);
  }, 240_000);
});
