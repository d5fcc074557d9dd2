import { readFileSync } from "node:fs";
import type { FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SHOP, type DemoStack } from "./stack";
import { startBrowserStack, type BrowserStack } from "./browser-stack";
import { createDb } from "../../app/platform/db.server";
import { latestInsights } from "../../app/pipeline/insights/insights.server";
import path from "node:path";
import { screenshotApp, SCREENSHOTS } from "../support/browser";
import { englishWords } from "../support/english-words";
import { readCsv } from "../support/csv";

/**
 * The insights page in Debian's Chromium against the demo stack (2 000 customers, the emulator's generator): what it
 * shows is what the rfm.insights job stored after the first full run, in English and in Dutch, with screenshots.
 */

let browserStack: BrowserStack | undefined;
let stack: DemoStack;
let page: Page;
let app: FrameLocator;
let errors: string[];
const db = createDb(process.env.DATABASE_URL as string, 2);

const shot = (name: string) => screenshotApp(page, name);
/** The channels card alone, for a close look: the viewport grows to the frame's height first, so the card is whole. */
async function channelsShot(name: string): Promise<void> {
  const height =
    (await page.frame({ name: "app-iframe" })?.evaluate(() => document.documentElement.scrollHeight)) ?? 900;
  await page.setViewportSize({ width: 1280, height: Math.min(Math.max(900, height + 48), 8000) });
  await app.locator("#channels-section").screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), caret: "initial" });
  await page.setViewportSize({ width: 1280, height: 900 });
}

beforeAll(async () => {
  browserStack = await startBrowserStack({ customers: 2_000, orders: 6_000 });
  ({ stack, page, app, errors } = browserStack);
}, 120_000);

afterAll(async () => {
  await browserStack?.close();
  await db.$disconnect();
});

describe("the insights page in a real browser", () => {
  it("GIVEN an installed shop after its first full run WHEN the merchant opens Insights THEN the stored first products, product types, channels, coupons and cohorts show, and export as CSV", async () => {
    // Vite compiles each route on its first request: on a busy machine the first load takes a while.
    await page.goto(stack.adminUrl, { waitUntil: "commit", timeout: 120_000 });
    // Install → backfill → full run → rfm.insights (FOLLOW_UPS.scored).
    try {
      await expect
        .poll(() => db.insightRun.count({ where: { shop: DEMO_SHOP } }), { timeout: 300_000, interval: 1_000 })
        .toBeGreaterThan(0);
    } catch (error) {
      // What the app was doing instead (its log), for the failure report.
      throw new Error(`no insights after 300 s; app output:\n${stack.output().slice(-4000)}`, { cause: error });
    }
    const stored = await latestInsights(db, DEMO_SHOP);
    if (!stored) throw new Error("no insights stored");
    await page.locator("#app-nav a", { hasText: "Insights" }).click({ timeout: 120_000 });
    await expect
      .poll(() => app.locator("#insights-as-of").textContent({ timeout: 60_000 }), { timeout: 120_000 })
      .toMatch(
        new RegExp(
          `^From the scoring run of [A-Z][a-z]{2} \\d{1,2}, \\d{4}: ${stored.firstProducts.shop.customers.toLocaleString("en-US")} customers, \\d+% ordered a second time, median net spend €[\\d,]+\\.\\d{2}\\.$`,
        ),
      );
    expect(await app.locator("#insights-shares-help").textContent()).toBe(
      "Now loyal: in Champions or Loyal customers today. Now lost: in Lost, Hibernating, or Lost but engaged today.",
    );
    // The ranked lists: at most ten rows each, in the stored order, each product linked to its Shopify page.
    const loyalRows = app.locator("#makes-loyal tbody tr");
    const expectedLoyal = stored.firstProducts.products.makesLoyal.slice(0, 10);
    expect(expectedLoyal.length).toBeGreaterThan(0);
    await expect.poll(() => loyalRows.count()).toBe(expectedLoyal.length);
    expect(await loyalRows.locator("td:first-child a, th:first-child a").allTextContents()).toEqual(
      expectedLoyal.map((id) => `Product ${id}`),
    );
    expect(await loyalRows.first().locator("a").first().getAttribute("href")).toBe(
      `https://admin.shopify.com/store/rfm-demo/products/${expectedLoyal[0]}`,
    );
    expect(await app.locator("#no-return tbody tr").count()).toBe(
      stored.firstProducts.products.noReturn.slice(0, 10).length,
    );
    expect(await app.locator("#vendors tbody tr").count()).toBe(stored.firstProducts.vendors.groups.length);
    // Coupons: two groups, then the second-code sentence with the stored counts.
    expect(await app.locator("#coupon-first tbody tr").count()).toBe(2);
    expect(await app.locator("#coupon-second-intro").textContent()).toContain(
      `Of ${stored.couponCohorts.secondOrder.firstCouponBuyers.toLocaleString("en-US")} customers whose first order used a code, ${stored.couponCohorts.secondOrder.oneTime.toLocaleString("en-US")} never ordered again.`,
    );
    // Heat map: one row per cohort, the newest with one cell; switching to the repeat rate shows percentages.
    const cohorts = stored.cohorts.cohorts;
    expect(await app.locator("#cohort-heatmap tbody tr").count()).toBe(cohorts.length);
    const newest = cohorts.at(-1);
    expect(await app.locator(`#cohort-heatmap tr[data-cohort="${newest?.month}"] td`).count()).toBe(2);
    await app.locator("#cohort-repeat").click();
    await expect
      .poll(() => app.locator("#cohort-heatmap tbody tr:first-child td:last-child").innerText())
      .toMatch(/^\d+%$/);
    // Channels: the coverage sentence with the stored counts, one row per channel and campaign with enough support,
    // channels named by tactic and source.
    const channels = stored.channels;
    if (!channels) throw new Error("no channels stored");
    const c = channels.coverage;
    expect(await app.locator("#journey-coverage").textContent()).toBe(
      `Shopify's journey data for the ${c.customers.toLocaleString("en-US")} first orders: ${c.attributed.toLocaleString("en-US")} with a recorded first visit (counted below); ${c.pending.toLocaleString("en-US")} not ready yet (Shopify was still attributing the order; the app asks again for up to 7 days); ${c.none.toLocaleString("en-US")} without journey data (older orders, from before Shopify recorded journeys, or orders not placed in the online store); ${c.noVisit.toLocaleString("en-US")} without a recorded visit (the buyer did not consent to tracking); ${c.unknown.toLocaleString("en-US")} not asked yet (orders only webhooks brought so far).`,
    );
    expect(c.attributed).toBeGreaterThan(0);
    const channelNames = await app
      .locator("#channels tbody tr td:first-child, #channels tbody tr th:first-child")
      .allInnerTexts();
    expect(channelNames.map((n) => n.split("\n")[0]?.trim())).toEqual(
      channels.channels.groups.map((g) => {
        const [tactic, source] = g.key.split(":");
        const label = { seo: "Search", ad: "Ad", newsletter: "Newsletter" }[tactic ?? ""];
        return label ? `${label} · ${source}` : source;
      }),
    );
    expect(channelNames).toContain("Search · Google");
    expect(await app.locator("#campaigns tbody tr").count()).toBe(channels.campaigns.groups.length);
    expect(await app.locator("#product-types tbody tr").count()).toBe(stored.firstProducts.productTypes?.groups.length);
    await channelsShot("insights-channels-en");
    await shot("insights-en");
    // Channels CSV: the shop line, every channel and campaign.
    const [channelDownload] = await Promise.all([
      page.waitForEvent("download", { timeout: 30_000 }),
      app.locator("#export-channels").click(),
    ]);
    const channelRows = readCsv(readFileSync((await channelDownload.path()) as string, "utf8").slice(1), ",");
    expect(channelRows.slice(1).map((r) => r.slice(0, 2))).toEqual([
      ["shop", ""],
      ...channels.channels.groups.map((g) => ["channel", g.key]),
      ...channels.campaigns.groups.map((g) => ["UTM campaign", g.key]),
    ]);
    // CSV of first products: the shop line, every product, vendor and product type with enough support.
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: 30_000 }),
      app.locator("#export-first-products").click(),
    ]);
    const csv = readFileSync((await download.path()) as string, "utf8");
    const [header, ...rows] = readCsv(csv.slice(1), ",");
    expect(header?.slice(0, 3)).toEqual(["Dimension", "Key", "Customers"]);
    expect(rows).toHaveLength(
      1 +
        stored.firstProducts.products.groups.length +
        stored.firstProducts.vendors.groups.length +
        (stored.firstProducts.productTypes?.groups.length ?? 0),
    );
    expect(rows[0]?.[2]).toBe(String(stored.firstProducts.shop.customers));
    // Cohorts CSV: one row per heat-map cell.
    const [cohortDownload] = await Promise.all([
      page.waitForEvent("download", { timeout: 30_000 }),
      app.locator("#export-cohorts").click(),
    ]);
    const cohortRows = readCsv(readFileSync((await cohortDownload.path()) as string, "utf8").slice(1), ",");
    expect(cohortRows.length - 1).toBe(cohorts.reduce((n, c) => n + c.cells.length, 0));
    // A row's customer count opens exactly those customers: a first product, with Shopify's nearest segment query.
    const product = expectedLoyal[0] as string;
    const productCustomers = stored.firstProducts.products.groups.find((g) => g.key === product)?.customers ?? 0;
    await app.locator(`#makes-loyal [data-members="product:${product}"]`).click();
    await expect
      .poll(() => app.locator("#insight-customers-count").textContent({ timeout: 60_000 }), { timeout: 120_000 })
      .toBe(
        `${productCustomers.toLocaleString("en-US")} customers, as counted by the insights of the latest full run. Listed by customer id.`,
      );
    const members = await db.insightMember.findMany({
      where: { shop: DEMO_SHOP, dim: "product", key: product },
      orderBy: { customerId: "asc" },
    });
    expect(members).toHaveLength(productCustomers);
    const listedIds = await app
      .locator("#insight-customers tbody tr td:first-child a")
      .evaluateAll((links) => links.map((a) => a.getAttribute("href")?.split("?")[0]?.split("/").pop()));
    expect(listedIds).toEqual(members.slice(0, 50).map((m) => String(m.customerId)));
    expect(await app.locator("#insight-shopify-query").innerText()).toContain(
      `number_of_orders = 1 AND products_purchased(id: (${product})) = true`,
    );
    await shot("insight-customers-product-en");
    const [membersDownload] = await Promise.all([
      page.waitForEvent("download", { timeout: 30_000 }),
      app.locator("#insight-customers-export").click(),
    ]);
    const memberRows = readCsv(readFileSync((await membersDownload.path()) as string, "utf8").slice(1), ",");
    expect(memberRows.slice(1).map((r) => r[0])).toEqual(members.map((m) => String(m.customerId)));
    expect(errors).toEqual([]);
  }, 420_000);

  it("GIVEN a Dutch admin (locale=nl) WHEN it opens Insights THEN the page speaks Dutch and the CSV is what a Dutch Excel reads", async () => {
    await page.goto(`${stack.adminUrl}/insights?locale=nl`, { waitUntil: "commit", timeout: 120_000 });
    await expect
      .poll(() => app.locator("#insights-as-of").textContent({ timeout: 60_000 }), { timeout: 120_000 })
      .toMatch(/^Uit de scoring van \d{1,2} [a-z]{3}\.? \d{4}: [\d.]+ klanten, \d+% bestelde een tweede keer/);
    const vendors = (await db.orderLine.findMany({ where: { shop: DEMO_SHOP }, distinct: ["vendor"] })).map(
      (l) => l.vendor ?? "",
    );
    // Names the merchant's data brings: product types, visit sources and UTM campaigns.
    const types = (await db.orderLine.findMany({ where: { shop: DEMO_SHOP }, distinct: ["productType"] })).map(
      (l) => l.productType ?? "",
    );
    const journeys = await db.orderJourney.findMany({
      where: { shop: DEMO_SHOP },
      distinct: ["source", "utmCampaign"],
    });
    const fromJourneys = journeys.flatMap((j) => [j.source ?? "", (j.utmCampaign ?? "").replace(/_/g, " ")]);
    const text = await app.locator("body").innerText({ timeout: 30_000 });
    expect(
      englishWords(text, { allow: [...vendors, ...types, ...fromJourneys] }),
      "English on the Dutch insights page",
    ).toEqual([]);
    expect(await app.locator("#journey-coverage").textContent()).toMatch(
      /^Shopify's klantreisgegevens voor de [\d.]+ eerste bestellingen: [\d.]+ met een vastgelegd eerste bezoek/,
    );
    expect(await app.locator("#channels").innerText()).toContain("Zoekmachine · Google");
    await channelsShot("insights-channels-nl");
    await shot("insights-nl");
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: 30_000 }),
      app.locator("#export-coupons").click(),
    ]);
    const csv = readFileSync((await download.path()) as string, "utf8");
    const [header, ...rows] = readCsv(csv.slice(1), ";");
    expect(header?.slice(0, 3)).toEqual(["Dimensie", "Sleutel", "Klanten"]);
    expect(rows).toHaveLength(4);
    expect(rows[0]?.[9]).toMatch(/^\d+,\d{2}$/);
    // The coupon group's count opens its customers, in Dutch, with why Shopify cannot select them.
    const stored = await latestInsights(db, DEMO_SHOP);
    if (!stored) throw new Error("no insights stored");
    const full = stored.couponCohorts.firstOrder.fullPrice.customers;
    await app.locator('#coupon-first [data-members="coupon:first:false"]').click();
    await expect
      .poll(() => app.locator("#insight-customers-count").textContent({ timeout: 60_000 }), { timeout: 120_000 })
      .toBe(
        `${full.toLocaleString("nl-NL")} klanten, zoals de inzichten van de laatste volledige berekening ze telden. Op klantnummer.`,
      );
    expect(await app.locator("#insight-shopify-none").textContent()).toMatch(/^De segmentfilters van Shopify kunnen/);
    expect(await app.locator("#insight-customers tbody tr").count()).toBe(Math.min(50, full));
    const listed = await app.locator("#insight-customers tbody").innerText();
    const customerWords = (await db.customer.findMany({ where: { shop: DEMO_SHOP } })).flatMap((c) => [
      c.firstName ?? "",
      c.lastName ?? "",
      c.email ?? "",
    ]);
    expect(
      englishWords(await app.locator("body").innerText(), { allow: [...customerWords, ...listed.split(/\s+/)] }),
      "English on the Dutch customer list",
    ).toEqual([]);
    await shot("insight-customers-coupon-nl");
    // The segment table fits its card at 1 280 px in Dutch, predicted value included.
    await page.goto(`${stack.adminUrl}/segments/champions?locale=nl`, { waitUntil: "commit", timeout: 120_000 });
    const table = app.locator("#segment-customers table").first();
    await expect
      .poll(() => table.locator("th").allInnerTexts(), { timeout: 60_000 })
      .toContain("Voorspelde waarde (12 maanden)");
    const widths = await app.locator("#segment-customers").evaluate((el) => ({
      card: el.getBoundingClientRect().width,
      table: el.querySelector("table")?.scrollWidth ?? 0,
    }));
    expect(widths.table).toBeLessThanOrEqual(widths.card);
    await shot("segment-champions-nl");
    expect(errors).toEqual([]);
  }, 240_000);
});
