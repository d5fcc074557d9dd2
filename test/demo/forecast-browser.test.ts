import type { FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SHOP, type DemoStack } from "./stack";
import { startBrowserStack, type BrowserStack } from "./browser-stack";
import { createDb } from "../../app/platform/db.server";
import { runForecast } from "../../app/pipeline/forecast/forecast.server";
import { screenshotApp } from "../support/browser";
import { recordEarlierMonths } from "../support/earlier-months";

/**
 * The Forecast page in Debian's Chromium against the demo stack: first as a new install (not enough history,
 * said plainly), then with recorded months before it (sizes in 30/90 days, who moves down, both back-tests with
 * their error), in English and in Dutch, with screenshots.
 */

let browserStack: BrowserStack | undefined;
let stack: DemoStack;
let page: Page;
let app: FrameLocator;
let errors: string[];
const db = createDb(process.env.DATABASE_URL as string, 2);

const shot = (name: string) => screenshotApp(page, name);

beforeAll(async () => {
  browserStack = await startBrowserStack({ customers: 600, orders: 2400 });
  ({ stack, page, app, errors } = browserStack);
}, 180_000);

afterAll(async () => {
  await browserStack?.close();
  await db.$disconnect();
});

describe("the Forecast page in a real browser", () => {
  it("GIVEN a new install WHEN its first run is scored THEN the forecast job says there is not enough history", async () => {
    await page.goto(stack.adminUrl, { timeout: 120_000 });
    // The job follows the first full run by itself.
    await expect
      .poll(() => db.forecastRun.count({ where: { shop: DEMO_SHOP } }), { timeout: 120_000, interval: 1_000 })
      .toBeGreaterThan(0);
    await page.locator("#app-nav a", { hasText: "Forecast" }).click();
    await expect
      .poll(() => app.locator("#forecast-not-enough").textContent(), { timeout: 30_000 })
      .toMatch(
        /^Not enough history for a segment forecast yet: the app has recorded 0 months of segment movement since [A-Z][a-z]{2} \d{1,2}, \d{4} and needs 3 months\. Months reconstructed from your orders at install do not count\./,
      );
    await shot("forecast-not-enough-en");
    expect(errors).toEqual([]);
  }, 300_000);

  it("GIVEN five recorded months WHEN the forecast runs THEN the page shows sizes, who moves down and both back-tests with their error", async () => {
    await recordEarlierMonths(db, DEMO_SHOP, 5, 17);
    const run = await runForecast(db, DEMO_SHOP);
    expect(run?.sufficient).toBe(true);
    await page.goto(`${stack.adminUrl}/forecast`);
    await expect.poll(() => app.locator("#forecast-sizes tbody tr").count(), { timeout: 30_000 }).toBeGreaterThan(3);
    // Five runs 30 days apart before the install's reconstructed date, then today's: six monthly transitions.
    expect(await app.locator("#forecast-as-of").textContent()).toMatch(/\(6 months\)\.$/);
    const moving = app.locator("#forecast-moving-down tbody tr");
    expect(await moving.count()).toBeGreaterThan(0);
    expect(await moving.first().locator("a").getAttribute("href")).toMatch(/\/app\/customers\/\d+/);
    expect(await moving.first().locator("td").last().textContent()).toMatch(/^\d+%$/);
    expect(await app.locator("#segment-backtest-error").textContent()).toMatch(
      /^Off by \d+(\.\d)?% on average \(mean absolute percentage error, weighted by segment size\)\.$/,
    );
    const clv = await app.locator("#clv-error, #clv-insufficient").first().textContent();
    expect(clv).toMatch(/^(Predicted [\d,]+ repeat orders, actual [\d,]+: [+-]\d|Not enough repeat customers)/);
    if (await app.locator("#clv-error").count()) {
      expect(await app.locator("#clv-buckets tbody tr").count()).toBe(8);
      await expect.poll(() => app.locator("#clv-bucket-chart svg").count(), { timeout: 10_000 }).toBeGreaterThan(0);
      await expect.poll(() => app.locator("#clv-cumulative-chart svg").count(), { timeout: 10_000 }).toBeGreaterThan(0);
    }
    await shot("forecast-en");
    expect(errors).toEqual([]);
  }, 120_000);

  it("GIVEN a Dutch admin THEN the Forecast page speaks Dutch", async () => {
    await page.goto(`${stack.adminUrl}/forecast?locale=nl`);
    await expect
      .poll(() => app.locator("#segment-backtest-error").textContent(), { timeout: 30_000 })
      .toMatch(
        /^Gemiddeld \d+(,\d)?% ernaast \(gemiddelde absolute procentuele fout, gewogen naar segmentgrootte\)\.$/,
      );
    expect(await app.locator("#forecast-as-of").textContent()).toMatch(/^Stand van .+\(6 maanden\)\.$/);
    await expect.poll(() => page.locator("#app-nav a").allTextContents()).toContain("Voorspelling");
    const text = await app.locator("body").innerText();
    for (const english of ["Forecast", "Expected segment sizes", "Most likely", "Predicted", "Actual"])
      expect(text).not.toContain(english);
    await shot("forecast-nl");
    expect(errors).toEqual([]);
  }, 120_000);
});
