import type { Browser, FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SHOP, startDemoStack, type DemoStack } from "./stack";
import { createDb } from "../../app/platform/db.server";
import { applyPredictions } from "../../app/pipeline/score/apply-predictions.server";
import { PREDICTION_BEHAVIOURS, type PredictionBehaviour } from "../../app/domain/rfm/prediction-bands";
import { PRESETS } from "../../app/i18n/rfm/presets";
import { loadRfmSettings, saveRfmSettings } from "../../app/settings/settings.server";
import { collectErrors, launchBrowser, screenshotApp } from "../support/browser";
import { BROWSER_UA } from "../support/merchant";
import { englishWords } from "../support/english-words";
import { waitFor } from "../support/wait";
import { shopDiscountCodes } from "../support/shop-words";

/**
 * The three prediction behaviours (likely to churn, rising stars, expected to order soon) in Debian's Chromium
 * against the demo stack: each behaviour's page (its rule with the merchant's threshold, its members) and a member's
 * customer page (the behaviour badge beside the predictions), in English and in Dutch, with screenshots.
 */

let stack: DemoStack;
let browser: Browser;
let page: Page;
let app: FrameLocator;
let errors: string[];
const db = createDb(process.env.DATABASE_URL as string, 2);
const shot = (name: string) => screenshotApp(page, name);

/** The rule each behaviour's page states, with the thresholds this test sets (60 % and 20 %). */
const RULES: Record<"en" | "nl", Record<PredictionBehaviour, RegExp>> = {
  en: {
    likely_to_churn:
      /^Spent €[\d,.]+ or more in total \(your top 5% threshold\), and the predicted chance that they still buy from you is below 60%$/,
    rising_star:
      /^Their predicted value for the next 12 months is in the top 10% of your customers, but they are not Champions or Loyal yet$/,
    ordering_soon: /^The predicted chance of an order in the next 30 days is 20% or more$/,
  },
  nl: {
    likely_to_churn:
      /^In totaal €\s?[\d.,]+ of meer besteed \(je top-5%-grens\), en de kans dat ze nog bij je kopen is volgens de voorspelling kleiner dan 60%$/,
    rising_star: /^Hun voorspelde waarde voor de komende 12 maanden hoort bij de hoogste 10% van je klanten/,
    ordering_soon: /^De voorspelde kans op een bestelling in de komende 30 dagen is 20% of meer$/,
  },
};

async function members(key: PredictionBehaviour) {
  return db.customerScore.findMany({
    where: { shop: DEMO_SHOP, behaviours: { has: key } },
    select: { customerId: true },
  });
}

async function shopWords(): Promise<string[]> {
  const customers = await db.customer.findMany({
    where: { shop: DEMO_SHOP },
    select: { firstName: true, lastName: true },
  });
  const shop = await db.shop.findUnique({ where: { shop: DEMO_SHOP } });
  const codes = await shopDiscountCodes(db, DEMO_SHOP);
  return [
    ...customers.flatMap((c) => [c.firstName ?? "", c.lastName ?? ""]),
    shop?.name ?? "",
    shop?.ianaTimezone ?? "",
    ...codes,
  ];
}

beforeAll(async () => {
  [stack, browser] = await Promise.all([
    startDemoStack({ databaseUrl: process.env.DATABASE_URL as string, dataset: { customers: 600, orders: 2400 } }),
    launchBrowser(),
  ]);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, userAgent: BROWSER_UA });
  page = await context.newPage();
  errors = collectErrors(page);
  await page.route("https://cdn.shopify.com/**", (route) => route.abort());
  app = page.frameLocator("iframe[name=app-iframe]");
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await db.$disconnect();
});

describe("the prediction behaviours in a real browser", () => {
  it("GIVEN a fitted shop WHEN the merchant opens each prediction behaviour THEN its page states the rule and lists its members, and a member's page shows the behaviour (English)", async () => {
    await page.goto(stack.adminUrl, { timeout: 120_000 });
    // rfm.predict follows the first full run by itself.
    const run = await waitFor(
      "a finished prediction run",
      () => db.predictionRun.findFirst({ where: { shop: DEMO_SHOP, finishedAt: { not: null } } }),
      180_000,
      1_000,
    );
    expect(run.sufficient).toBe(true);
    // Thresholds loose enough that each behaviour has members in a few hundred demo customers; applied as the
    // bands job applies them after each prediction run.
    const settings = await loadRfmSettings(db, DEMO_SHOP);
    await saveRfmSettings(db, DEMO_SHOP, {
      ...settings,
      behaviours: { ...settings.behaviours, churnMaxPAlive: 0.6, orderSoonMinP: 0.2 },
    });
    await applyPredictions(db, DEMO_SHOP);

    for (const key of PREDICTION_BEHAVIOURS) {
      const expected = await members(key);
      expect(expected.length, key).toBeGreaterThan(0);
      await page.goto(`${stack.adminUrl}/segments/${key}`);
      await expect
        .poll(() => app.locator("#segment-rule").first().textContent(), { timeout: 30_000 })
        .toMatch(RULES.en[key]);
      const rows = app.locator("#segment-customers tbody tr");
      await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(Math.min(50, expected.length));
      expect(await app.locator("body").innerText()).toContain(PRESETS.en[key]);
      await shot(`behaviour-${key}-en`);
    }

    // A rising star's own page: the badge among the behaviours, beside the predictions it came from.
    const [star] = await members("rising_star");
    await page.goto(`${stack.adminUrl}/customers/${star?.customerId}`);
    await expect
      .poll(() => app.locator("#customer-behaviours").innerText(), { timeout: 30_000 })
      .toContain(PRESETS.en.rising_star);
    expect(await app.locator("#customer-prediction").innerText()).toMatch(
      /Predicted value \(12 months\): €[\d,.]+\n+€[\d,.]+ over the next 12 months/,
    );
    await shot("customer-rising-star-en");
    expect(errors).toEqual([]);
  }, 420_000);

  it("GIVEN a Dutch admin THEN the same pages speak Dutch: the behaviours' Dutch names and rules, no English", async () => {
    const allow = await shopWords();
    for (const key of PREDICTION_BEHAVIOURS) {
      await page.goto(`${stack.adminUrl}/segments/${key}?locale=nl`);
      await expect
        .poll(() => app.locator("#segment-rule").first().textContent(), { timeout: 30_000 })
        .toMatch(RULES.nl[key]);
      const text = await app.locator("body").innerText();
      expect(text).toContain(PRESETS.nl[key]);
      expect(englishWords(text, { allow }), `English on the Dutch ${key} page`).toEqual([]);
      await shot(`behaviour-${key}-nl`);
    }
    const [churner] = await members("likely_to_churn");
    await page.goto(`${stack.adminUrl}/customers/${churner?.customerId}?locale=nl`);
    await expect
      .poll(() => app.locator("#customer-behaviours").innerText(), { timeout: 30_000 })
      .toContain(PRESETS.nl.likely_to_churn);
    expect(await app.locator("#customer-prediction").innerText()).toMatch(
      /^Voorspellingen\n+Kans dat de klant nog koopt: \d+ ?%/,
    );
    const text = await app.locator("body").innerText();
    // The tags the app wrote are keys ("rfm-cant-lose"), the same in any language.
    const shopify = stack.emulator.shop(DEMO_SHOP);
    const customer = shopify.customer(Number(churner?.customerId));
    const tags = customer ? shopify.customerTagList(customer) : [];
    expect(englishWords(text, { allow: [...allow, ...tags] }), "English on the Dutch customer page").toEqual([]);
    await shot("customer-likely-to-churn-nl");
    expect(errors).toEqual([]);
  }, 180_000);

  it("GIVEN the settings WHEN the merchant sets the discount rate THEN out of range shows on its field, 12.5 is stored, and the next prediction run values and explains at 12.5%", async () => {
    await page.goto(`${stack.adminUrl}/settings`);
    const rate = app.locator("#setting-discount-rate");
    await expect.poll(() => rate.inputValue(), { timeout: 30_000 }).toBe("10");
    const saveBar = page.locator("#save-bar");
    await rate.fill("60");
    await expect.poll(() => saveBar.isVisible()).toBe(true);
    await saveBar.locator("button", { hasText: "Save" }).click();
    await expect
      .poll(() => app.locator("#setting-discount-rateError").textContent(), { timeout: 30_000 })
      .toBe("Enter a percentage from 0% to 50%.");
    await shot("settings-discount-rate-error-en");
    const runsBefore = await db.predictionRun.count({ where: { shop: DEMO_SHOP } });
    await rate.fill("12.5");
    await saveBar.locator("button", { hasText: "Save" }).click();
    await expect
      .poll(() => app.locator("#settings-saved").textContent(), { timeout: 30_000 })
      .toMatch(/^Settings saved/);
    expect((await loadRfmSettings(db, DEMO_SHOP)).predictions.annualDiscountRate).toBe(0.125);
    // The save re-scores; rfm.predict follows the run with the new rate.
    const run = await waitFor(
      "a prediction run at the new rate",
      async () => {
        const latest = await db.predictionRun.findFirst({
          where: { shop: DEMO_SHOP, finishedAt: { not: null } },
          orderBy: { id: "desc" },
        });
        return latest && (await db.predictionRun.count({ where: { shop: DEMO_SHOP } })) > runsBefore
          ? latest
          : undefined;
      },
      180_000,
      1_000,
    );
    expect(run.annualDiscountRate).toBe(0.125);
    const valued = await db.customerPrediction.findFirstOrThrow({
      where: { shop: DEMO_SHOP, predictedValue12m: { not: null } },
      orderBy: { customerId: "asc" },
    });
    await page.goto(`${stack.adminUrl}/customers/${valued.customerId}`);
    await expect
      .poll(() => app.locator("#customer-prediction").innerText(), { timeout: 30_000 })
      .toContain("discounted to today at 12.5% a year.");
    await page.goto(`${stack.adminUrl}/settings?locale=nl`);
    await expect.poll(() => app.locator("#setting-discount-rate").inputValue(), { timeout: 30_000 }).toBe("12.5");
    expect(await app.locator("body").innerText()).toContain(
      "Rente voor de voorspelde waarde over 12 maanden (% per jaar)",
    );
    await shot("settings-discount-rate-nl");
    await page.goto(`${stack.adminUrl}/customers/${valued.customerId}?locale=nl`);
    await expect
      .poll(() => app.locator("#customer-prediction").innerText(), { timeout: 30_000 })
      .toContain("met 12,5% rente per jaar teruggerekend naar vandaag.");
    await shot("customer-discount-rate-nl");
    expect(errors).toEqual([]);
  }, 300_000);
});
