import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SHOP, startDemoStack, type DemoStack } from "./stack";
import { createDb } from "../../app/db.server";
import { waitFor } from "../support/wait";
import { collectErrors, launchBrowser, SCREENSHOTS } from "../support/browser";
import { BROWSER_UA } from "../support/merchant";

let stack: DemoStack;
let browser: Browser;
const db = createDb(process.env.DATABASE_URL as string, 2);

beforeAll(async () => {
  [stack, browser] = await Promise.all([startDemoStack({ databaseUrl: process.env.DATABASE_URL as string, dataset: { customers: 300, orders: 900 } }), launchBrowser()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await db.$disconnect();
});

describe("the demo in a real browser", () => {
  it("GIVEN the printed admin URL WHEN a merchant opens it THEN the embedded Polaris home page shows the shop, with no console errors", async () => {
    // Shopify's library refuses headless user agents as bots (410); present a normal one.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, userAgent: BROWSER_UA });
    const page = await context.newPage();
    const errors = collectErrors(page);
    // Nothing may come from Shopify's CDN: the emulated admin serves App Bridge.
    const cdn: string[] = [];
    await page.route("https://cdn.shopify.com/**", (route) => {
      cdn.push(route.request().url());
      return route.abort();
    });
    await page.goto(stack.adminUrl);
    const app = page.frameLocator("iframe[name=app-iframe]");
    await expect.poll(() => app.locator("#shop-name").textContent({ timeout: 60_000 }), { timeout: 60_000 }).toBe("Demo Webwinkel");
    await expect.poll(() => app.locator("text=Europe/Amsterdam").count()).toBe(1);
    // Hydrated: the client bundle ran and App Bridge (emulated) is in place.
    const frame = page.frame({ name: "app-iframe" });
    await expect.poll(() => frame?.evaluate(() => Boolean((window as unknown as { shopify?: { __emulated?: boolean } }).shopify?.__emulated))).toBe(true);
    // The first sync runs in the background; the page follows it live to the end.
    await expect.poll(() => app.locator("#sync-phase").textContent(), { timeout: 90_000, interval: 1_000 }).toBe("Up to date");
    await expect.poll(() => app.locator("#sync-counts").textContent()).toMatch(/^([\d,]+) of \1 orders/);
    // The first scoring run follows the sync; the segments card fills in without a reload.
    await expect.poll(() => app.locator("#segments-as-of").textContent(), { timeout: 60_000, interval: 1_000 }).toMatch(/^Scored as of \d{4}-\d{2}-\d{2} · [\d,]+ customers$/);
    await expect.poll(() => app.locator("#segment-champions").textContent()).toMatch(/^Champions[\d,]+ · \d+ %$/);
    // The nav menu renders in the (emulated) admin, as App Bridge does.
    await expect.poll(() => page.locator("#app-nav a").allTextContents()).toEqual(["In Shopify"]);
    await page.screenshot({ path: path.join(SCREENSHOTS, "demo-home.png"), fullPage: true });

    // Write-back puts the segments into Shopify; from there the merchant makes a segment-only discount.
    await waitFor("Shopify segments", async () => (await db.shopifySegment.count({ where: { shop: DEMO_SHOP } })) === 12, 120_000, 1_000);
    await page.locator("#app-nav a", { hasText: "In Shopify" }).click();
    await expect.poll(() => app.locator("#shopify-segment-champions").textContent(), { timeout: 30_000 }).toBe("RFM · Champions");
    await app.locator("#discount-title").fill("Welcome back");
    await app.locator("#discount-code").fill("WELKOM15");
    await app.locator("#discount-value").fill("15");
    await app.locator("button", { hasText: "Create discount" }).click();
    await expect.poll(() => app.locator("#action-ok").textContent(), { timeout: 30_000 }).toBe("Discount code WELKOM15 created for this segment only.");
    await app.locator("button", { hasText: "Create discount" }).click();
    await expect.poll(() => app.locator("#action-errors").textContent(), { timeout: 30_000 }).toContain("Code must be unique. Please try a different code.");
    const discounts = [...stack.emulator.shop(DEMO_SHOP).discounts.values()];
    expect(discounts.map((d) => d.code)).toEqual(["WELKOM15"]);
    await page.screenshot({ path: path.join(SCREENSHOTS, "demo-in-shopify.png"), fullPage: true });

    // A customer explains their own scores, in English and in Dutch (the admin's locale).
    const champion = await db.customerScore.findFirstOrThrow({ where: { shop: DEMO_SHOP, segment: "champions" }, orderBy: { customerId: "asc" } });
    await page.goto(`${stack.adminUrl}/customers/${champion.customerId}`);
    await expect.poll(() => app.locator("#rfm-code").textContent(), { timeout: 30_000 }).toBe(`${champion.r}${champion.f}${champion.m}`);
    expect(await app.locator("#explain-r").textContent()).toMatch(new RegExp(`^R ${champion.r}: last order \\d+(–\\d+)? days? ago \\(\\d+ % of customers\\)$`));
    expect(await app.locator("#segment-name").textContent()).toBe("Champions");
    expect(await app.locator("#segment-history").textContent()).toContain("Champions");
    await page.screenshot({ path: path.join(SCREENSHOTS, "demo-customer-en.png"), fullPage: true });
    await page.goto(`${stack.adminUrl}/customers/${champion.customerId}?locale=nl`);
    await expect.poll(() => app.locator("#explain-r").textContent(), { timeout: 30_000 }).toMatch(new RegExp(`^R ${champion.r}: laatste bestelling \\d+(–\\d+)? dagen geleden`));
    expect(await app.locator("#segment-name").textContent()).toBe("Topklanten");
    expect(await app.locator("#total-net").textContent()).toMatch(/€/);
    await page.screenshot({ path: path.join(SCREENSHOTS, "demo-customer-nl.png"), fullPage: true });
    expect(errors).toEqual([]);
    expect(cdn).toEqual([]);
  }, 300_000);
});
