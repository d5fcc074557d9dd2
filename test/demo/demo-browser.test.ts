import { readFileSync } from "node:fs";
import type { FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SHOP, type DemoStack } from "./stack";
import { startBrowserStack, type BrowserStack } from "./browser-stack";
import { createDb } from "../../app/platform/db.server";
import { waitFor } from "../support/wait";
import { screenshotApp } from "../support/browser";
import { englishWords } from "../support/english-words";
import { readCsv } from "../support/csv";
import { shopDiscountCodes } from "../support/shop-words";
import { PersonaCounts } from "../../app/domain/personas";

/**
 * The merchant's side, in Debian's Chromium against the demo stack: the
 * embedded pages inside the emulated admin, in English and in Dutch, each
 * with a screenshot and no console errors.
 */

let browserStack: BrowserStack | undefined;
let stack: DemoStack;
let page: Page;
let app: FrameLocator;
let errors: string[];
let cdn: string[];
const db = createDb(process.env.DATABASE_URL as string, 2);
const tagsInShopify = (id: bigint) => {
  const shop = stack.emulator.shop(DEMO_SHOP);
  const customer = shop.customer(Number(id));
  return customer ? shop.customerTagList(customer) : [];
};
/** The whole app page: the admin frames it, so the window grows to the frame's content for the picture. */
const shot = (name: string) => screenshotApp(page, name);
/** Everything the app shows, as text (waits until the frame has a body). */
const frameText = () => app.locator("body").innerText({ timeout: 30_000 });
/** The shop's own data a page may show in any language: customer names, renames, Shopify segment names, store facts. */
async function shopData(): Promise<string[]> {
  const [customers, segments, shop, settings, codes] = await Promise.all([
    db.customer.findMany({ where: { shop: DEMO_SHOP }, select: { firstName: true, lastName: true } }),
    db.shopifySegment.findMany({ where: { shop: DEMO_SHOP }, select: { name: true } }),
    db.shop.findUnique({ where: { shop: DEMO_SHOP } }),
    db.shopSettings.findUnique({ where: { shop: DEMO_SHOP } }),
    shopDiscountCodes(db, DEMO_SHOP),
  ]);
  const renames = Object.values(((settings?.rfm ?? {}) as { names?: Record<string, string> }).names ?? {});
  return [
    ...customers.flatMap((c) => [c.firstName ?? "", c.lastName ?? ""]),
    ...segments.map((x) => x.name),
    ...renames,
    ...codes,
    shop?.name ?? "",
    shop?.planDisplayName ?? "",
    shop?.ianaTimezone ?? "",
  ];
}
/**
 * At the admin's common 1 280 px: the R × F grid, the movement table and the segment tables fit their card (no
 * hidden horizontal scroll), and no label in them is cut: none wider than its box, none broken inside a word.
 */
async function expectNothingClipped(where: string) {
  const frame = page.frame({ name: "app-iframe" });
  const problems = await frame?.evaluate(() => {
    const out: string[] = [];
    for (const selector of [
      "#rf-grid",
      "#movement-matrix",
      "#segment .Polaris-IndexTable-ScrollContainer",
      "#behaviour .Polaris-IndexTable-ScrollContainer",
    ]) {
      const el = document.querySelector(selector);
      const box = selector.startsWith("#rf-grid") || selector.startsWith("#movement") ? el?.parentElement : el;
      if (!box) out.push(`${selector}: missing`);
      else if (box.scrollWidth > box.clientWidth + 1)
        out.push(`${selector}: ${box.scrollWidth}px in ${box.clientWidth}px`);
    }
    const labels = document.querySelectorAll(
      "#rf-grid [role=cell] a > div, #rf-grid [role=columnheader], #movement-matrix th, #segment th, #behaviour th, #segment td, #behaviour td",
    );
    for (const label of labels) {
      const text = label.textContent?.trim() ?? "";
      if (label.scrollWidth > label.clientWidth + 1)
        out.push(`"${text}": ${label.scrollWidth}px in ${label.clientWidth}px`);
      // Every word on one line: a word split over two lines ("Champio|ns") is a cut label too.
      const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const value = node.nodeValue ?? "";
        for (const m of value.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (lines.size > 1) out.push(`"${m[0]}" in "${text}" is broken over ${lines.size} lines`);
        }
      }
    }
    return out;
  });
  expect(problems, `cut labels on the ${where} dashboard`).toEqual([]);
}
/** No English word on the Dutch page now showing (word-level, against the catalogs: test/support/english-words.ts). */
async function expectNoEnglish(pageName: string) {
  expect(englishWords(await frameText(), { allow: await shopData() }), `English on the Dutch ${pageName} page`).toEqual(
    [],
  );
}

beforeAll(async () => {
  browserStack = await startBrowserStack({ customers: 300, orders: 900 });
  ({ stack, page, app, errors, cdn } = browserStack);
}, 120_000);

afterAll(async () => {
  await browserStack?.close();
  await db.$disconnect();
});

describe("the admin UI in a real browser", () => {
  it("GIVEN the printed admin URL WHEN a merchant opens it THEN the dashboard follows sync, scoring and write-back live and then shows the segments", async () => {
    // The first page load compiles the routes (Vite, development mode): on a loaded machine that takes over 30 s.
    await page.goto(stack.adminUrl, { timeout: 120_000 });
    await expect
      .poll(() => app.locator("#shop-name").textContent({ timeout: 60_000 }), { timeout: 60_000 })
      .toBe("Demo Webwinkel");
    // Hydrated: the client bundle ran and App Bridge (emulated) is in place.
    const frame = page.frame({ name: "app-iframe" });
    await expect
      .poll(() =>
        frame?.evaluate(() =>
          Boolean((window as unknown as { shopify?: { __emulated?: boolean } }).shopify?.__emulated),
        ),
      )
      .toBe(true);
    // The three phases, live, to the end: no reload.
    await expect
      .poll(() => app.locator("#sync-phase").textContent(), { timeout: 90_000, interval: 1_000 })
      .toBe("Up to date");
    await expect.poll(() => app.locator("#sync-detail").textContent()).toMatch(/^[\d,]+ orders synced · Last synced /);
    await expect
      .poll(() => app.locator("#scoring-phase").textContent(), { timeout: 60_000, interval: 1_000 })
      .toMatch(/^Scored as of [A-Z][a-z]{2} \d{1,2}, \d{4} · [\d,]+ customers$/);
    await expect
      .poll(() => app.locator("#write-back-phase").textContent(), { timeout: 120_000, interval: 1_000 })
      .toBe("Up to date in Shopify");
    expect(await app.locator("#write-back-detail").textContent()).toMatch(
      /^(1 customer's|[\d,]+ customers') tags · (1 customer's|[\d,]+ customers') metafields · (1 segment|\d+ segments) changed · Last run /,
    );

    // Overview: one row per segment with its figures; they add up to every scored customer.
    const scored = await db.customerScore.count({ where: { shop: DEMO_SHOP } });
    const champions = await db.customerScore.count({ where: { shop: DEMO_SHOP, segment: "champions" } });
    await expect.poll(() => app.locator("#segment-champions").textContent()).toBe("Champions");
    const row = app.locator("#segment tbody tr", { has: app.locator("#segment-champions") });
    expect(await row.locator("td").nth(1).textContent()).toBe(String(champions));
    expect(await row.locator("td").nth(2).textContent()).toBe(`${Math.round((champions / scored) * 1000) / 10}%`);
    expect(await app.locator("#segments-as-of").textContent()).toMatch(
      new RegExp(`^Scored as of .+ · ${scored.toLocaleString("en-US")} customers · €[\\d,]+\\.\\d{2} net spend$`),
    );
    // R × F grid: the cells hold every scored customer.
    const cells = await app.locator("#rf-grid [role=cell] div:first-child").allTextContents();
    expect(cells.reduce((n, c) => n + Number(c.replace(/,/g, "")), 0)).toBe(scored);
    // Pareto: a sentence and a drawn chart.
    expect(await app.locator("#pareto-sentence").textContent()).toMatch(
      /^The top 20% of customers bring \d+% of revenue; the top 1% bring \d+%\.$/,
    );
    await expect.poll(() => app.locator("#pareto-chart svg").count(), { timeout: 10_000 }).toBeGreaterThan(0);
    // Movement over 30 days: a new install's history is reconstructed from its orders, and the page says so.
    const movedCells = await app.locator("#movement-matrix tbody td").allTextContents();
    expect(movedCells.reduce((n, c) => n + Number(c.replace(/,/g, "") || 0), 0)).toBeGreaterThanOrEqual(scored);
    expect(await app.locator("#movement-reconstructed").textContent()).toMatch(
      /^Segments before [A-Z][a-z]{2} \d{1,2}, \d{4} are reconstructed from your order history\.$/,
    );
    expect(await app.locator("#top-moves li").count()).toBeGreaterThan(0);
    // The nav menu renders in the (emulated) admin, as App Bridge does.
    await expect
      .poll(() => page.locator("#app-nav a").allTextContents())
      .toEqual(["Browsing, no order", "Personas", "Forecast", "Insights", "In Shopify", "Settings", "Data requests"]);
    expect(page.viewportSize()?.width).toBe(1280);
    await expectNothingClipped("English");
    // The primary action says what to do first and opens that segment.
    expect(await app.locator("#next-action").textContent()).toMatch(
      /^(Win back .+ \(€[\d,]+\.\d{2} at stake\)|Reward .+)$/,
    );
    expect(await app.locator("#next-action").getAttribute("href")).toMatch(
      /^\/app\/segments\/(at_risk|cant_lose|about_to_sleep|champions|loyal)(\?|$)/,
    );
    await shot("home-en");

    // Predictions follow the full run (rfm.predict): the dashboard's predicted revenue and a customer's card.
    const predicted = await waitFor(
      "a prediction run",
      () => db.predictionRun.findFirst({ where: { shop: DEMO_SHOP, finishedAt: { not: null } } }),
      120_000,
      500,
    );
    await page.goto(stack.adminUrl);
    await expect
      .poll(() => app.locator("#predicted-revenue").innerText(), { timeout: 30_000 })
      .toMatch(
        predicted.sufficient
          ? /^Predicted revenue, next 12 months\n+€[\d,]+ expected from your current customers/
          : /^Predicted revenue, next 12 months\n+No predictions/,
      );
    const someone = await db.customerPrediction.findFirst({
      where: { shop: DEMO_SHOP },
      orderBy: { predictedValue12m: "desc" },
    });
    if (predicted.sufficient && someone) {
      await page.goto(`${stack.adminUrl}/customers/${someone.customerId}`);
      await expect
        .poll(() => app.locator("#customer-prediction").innerText(), { timeout: 30_000 })
        .toMatch(/^Predictions\n+Chance still a customer: \d+%\n+Given \d+ orders? .+ chance this customer/);
      const card = await app.locator("#customer-prediction").innerText();
      expect(card).toMatch(/Expected orders \(12 months\): [\d.]+\n+At this customer's pace/);
      expect(card).toMatch(/Predicted value \(12 months\): €[\d,.]+\n+€[\d,.]+ over the next 12 months/);
      await shot("customer-predictions-en");
      // Back on the dashboard, where the next test starts.
      await page.goto(stack.adminUrl);
      await app.locator("#segment-champions").waitFor({ timeout: 30_000 });
    }
    expect(errors).toEqual([]);
  }, 420_000);

  it("GIVEN the overview WHEN the merchant clicks a segment THEN its page explains the rule, advises, lists, sorts, searches, pages and exports its customers", async () => {
    await app.locator("#segment-champions").click();
    await expect
      .poll(() => app.locator("#segment-rule").first().textContent(), { timeout: 30_000 })
      .toMatch(/^Ordered in the last \d+ days, \d+\+ orders and spent €[\d,.]+ or more$/);
    expect(await app.locator("#segment-actions li").count()).toBeGreaterThanOrEqual(2);
    expect(await app.locator("#shopify-segment-link").getAttribute("href")).toMatch(
      /^https:\/\/admin\.shopify\.com\/store\/rfm-demo\/customers\/segments\/\d+$/,
    );
    const members = await db.customerScore.findMany({
      where: { shop: DEMO_SHOP, segment: "champions" },
      orderBy: [{ monetary: "desc" }, { customerId: "desc" }],
    });
    const rows = app.locator("#segment-customers tbody tr");
    await expect.poll(() => rows.count()).toBe(Math.min(50, members.length));
    // Default order: highest net spend first, as the database orders it.
    const firstName = await rows.first().locator("td").first().textContent();
    const top = await db.customer.findUniqueOrThrow({
      where: { shop_id: { shop: DEMO_SHOP, id: members[0]?.customerId as bigint } },
    });
    expect(firstName).toBe(`${top.firstName} ${top.lastName}`);
    await shot("segment-en");

    // Sort by orders, fewest first.
    await app.locator("#customer-sort").selectOption("orders:asc");
    await app.locator("#customer-apply").click();
    await expect.poll(() => page.frame({ name: "app-iframe" })?.url()).toContain("sort=orders&dir=asc");
    // The URL changes before the new rows render: wait for the sorted list, not for the address.
    const orderCounts = async () => (await rows.locator("td:nth-child(4)").allTextContents()).map(Number);
    await expect
      .poll(async () => {
        const orders = await orderCounts();
        return orders.every((n, i) => i === 0 || (orders[i - 1] ?? n) <= n);
      })
      .toBe(true);

    // Sort by predicted value (12 months), offered only after a sufficient prediction run; highest first.
    const run = await db.predictionRun.findFirst({
      where: { shop: DEMO_SHOP, finishedAt: { not: null } },
      orderBy: { id: "desc" },
    });
    const sortValues = await app
      .locator("#customer-sort option")
      .evaluateAll((options) => options.map((o) => o.getAttribute("value")));
    expect(sortValues.includes("predicted:desc")).toBe(run?.sufficient === true);
    if (run?.sufficient) {
      const [best] = await db.$queryRawUnsafe<{ name: string }[]>(
        `SELECT c."firstName" || ' ' || c."lastName" AS name FROM "CustomerScore" s
         JOIN "Customer" c ON c.shop = s.shop AND c.id = s."customerId"
         LEFT JOIN "CustomerPrediction" p ON p.shop = s.shop AND p."customerId" = s."customerId"
         WHERE s.shop = $1 AND s.segment = 'champions'
         ORDER BY p."predictedValue12m" DESC NULLS LAST, s."customerId" DESC LIMIT 1`,
        DEMO_SHOP,
      );
      await app.locator("#customer-sort").selectOption("predicted:desc");
      await app.locator("#customer-apply").click();
      await expect.poll(() => page.frame({ name: "app-iframe" })?.url()).toContain("sort=predicted&dir=desc");
      await expect.poll(() => rows.first().locator("td").first().textContent()).toBe(best?.name);
    }

    // Page forward and back.
    if (members.length > 50) {
      const pageOne = await rows.locator("td:first-child").allTextContents();
      await app.locator("a[aria-label=Next], button[aria-label=Next]").first().click();
      await expect.poll(() => rows.locator("td:first-child").allTextContents()).not.toEqual(pageOne);
      await app.locator("a[aria-label=Previous], button[aria-label=Previous]").first().click();
      await expect.poll(() => rows.locator("td:first-child").allTextContents()).toEqual(pageOne);
    }

    // Search by part of an email.
    await app.locator("#customer-q").fill(top.email?.split("@")[0] ?? "?");
    await app.locator("#customer-apply").click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().locator("td").nth(1).textContent()).toBe(top.email);

    // CSV: the whole segment, saved by the browser.
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: 30_000 }),
      app.locator("#export-csv").click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^rfm-champions-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path()) as string, "utf8")
      .trimEnd()
      .split("\r\n");
    expect(csv).toHaveLength(members.length + 1);
    // Excel's English dialect: a UTF-8 byte order mark, commas, decimal points, English headers and names.
    expect(csv[0]).toBe(
      "\uFEFFCustomer ID,Email,First name,Last name,Segment,R,F,M,RFM,Orders,Net spend,Last order,Behaviour,Accepts email marketing,Accepts SMS marketing,Chance still a customer,Predicted value (12 months),Expected orders (12 months)",
    );
    expect(readCsv(`${csv[1]}\r\n`, ",")[0]?.[10]).toMatch(/^\d+\.\d{2}$/);

    // The customer view opens from the list.
    await rows.first().locator("td").first().locator("a").click();
    await expect
      .poll(() => app.locator("#rfm-code").textContent(), { timeout: 30_000 })
      .toBe(`${members[0]?.r}${members[0]?.f}${members[0]?.m}`);
    expect(await app.locator("#explain-r").textContent()).toMatch(
      new RegExp(`^R ${members[0]?.r}: last order \\d+(–\\d+)? days? ago \\(\\d+% of customers\\)$`),
    );
    expect(await app.locator("#segment-name").textContent()).toBe("Champions");
    expect(await app.locator("#segment-history").textContent()).toContain("Champions");
    await shot("customer-en");
    expect(errors).toEqual([]);
  }, 120_000);

  it("GIVEN a Shopify segment WHEN the merchant creates a discount for it THEN Shopify has the code, and Shopify's own refusal shows as it is", async () => {
    await page.locator("#app-nav a", { hasText: "In Shopify" }).click();
    await expect
      .poll(() => app.locator("#shopify-segment-champions").textContent(), { timeout: 30_000 })
      .toBe("RFM · Champions");
    await app.locator("#discount-title").fill("Welcome back");
    await app.locator("#discount-code").fill("WELKOM15");
    await app.locator("#discount-value").fill("15");
    await app.locator("button", { hasText: "Create discount" }).click();
    await expect
      .poll(() => app.locator("#action-ok").textContent(), { timeout: 30_000 })
      .toBe("Discount code WELKOM15 created for this segment only.");
    // The form is empty for the next code, and the banner opens the new discount in the admin.
    expect(await app.locator("#discount-code").inputValue()).toBe("");
    expect(await app.locator("#discount-admin-link").getAttribute("href")).toMatch(
      /^https:\/\/admin\.shopify\.com\/store\/[^/]+\/discounts\/\d+$/,
    );
    // The app's own check sits on its field, not in a "Shopify did not accept this" banner.
    await app.locator("#discount-title").fill("Welcome back");
    await app.locator("#discount-code").fill("X Y");
    await app.locator("button", { hasText: "Create discount" }).click();
    await expect
      .poll(() => app.locator("#discount-codeError").textContent(), { timeout: 30_000 })
      .toContain("Use only letters, digits, - and _");
    expect(await app.locator("#action-errors").count()).toBe(0);
    await app.locator("#discount-code").fill("WELKOM15");
    await app.locator("button", { hasText: "Create discount" }).click();
    await expect
      .poll(() => app.locator("#action-errors").textContent(), { timeout: 30_000 })
      .toContain("Code must be unique. Please try a different code.");
    expect([...stack.emulator.shop(DEMO_SHOP).discounts.values()].map((d) => d.code)).toEqual(["WELKOM15"]);
    await shot("in-shopify-en");
    // Removing all app tags asks first, saying what goes and how to undo it; cancelled here.
    await app.locator("#remove-tags").click();
    await expect
      .poll(() => app.locator("#remove-tags-modal").textContent(), { timeout: 10_000 })
      .toContain("This removes:");
    expect(await app.locator("#remove-tags-modal").textContent()).toContain("Write to Shopify again");
    expect(await app.locator("#remove-tags-modal").textContent()).toMatch(
      /RFM metafields \(segment and scores\) of \d+ customers/,
    );
    await shot("remove-tags-modal-en");
    await app.locator("button", { hasText: "Cancel" }).click();
    await expect.poll(() => app.locator("#remove-tags-modal").count()).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);

  it("GIVEN the settings WHEN the merchant saves through the admin's save bar THEN bad input shows on its field and good input is stored, re-scored and written to Shopify", async () => {
    await page.locator("#app-nav a", { hasText: "Settings" }).click();
    const prefix = app.locator("#setting-tag-prefix");
    await expect.poll(() => prefix.inputValue(), { timeout: 30_000 }).toBe("rfm-");
    const saveBar = page.locator("#save-bar");
    expect(await saveBar.isVisible()).toBe(false);
    await prefix.fill("RFM!");
    // The save bar appears in the admin, outside the app's frame.
    await expect.poll(() => saveBar.isVisible()).toBe(true);
    await saveBar.locator("button", { hasText: "Save" }).click();
    await expect
      .poll(() => app.locator("#settings-errors").textContent(), { timeout: 30_000 })
      .toContain("1–20 lower-case letters");
    expect(await app.locator("#setting-tag-prefixError").textContent()).toContain("1–20 lower-case letters");
    // What the merchant typed stays, and so does the save bar.
    expect(await prefix.inputValue()).toBe("RFM!");
    expect(await saveBar.isVisible()).toBe(true);
    await shot("settings-error-en");
    expect((await db.shopSettings.findUnique({ where: { shop: DEMO_SHOP } }))?.rfm ?? {}).not.toMatchObject({
      writeBack: { tagPrefix: "RFM!" },
    });

    const runsBefore = await db.scoringRun.count({
      where: { shop: DEMO_SHOP, kind: "full", finishedAt: { not: null } },
    });
    await prefix.fill("klant-");
    await app.locator("#setting-name-champions").fill("Kanjers");
    await saveBar.locator("button", { hasText: "Save" }).click();
    await expect
      .poll(() => app.locator("#settings-saved").textContent(), { timeout: 30_000 })
      .toBe("Settings saved: re-scoring and updating Shopify");
    await expect.poll(() => saveBar.isVisible()).toBe(false);
    // Stored, re-scored, and the tags in Shopify follow the new prefix (the merchant's own tags stay).
    await waitFor(
      "a new full run",
      async () =>
        (await db.scoringRun.count({ where: { shop: DEMO_SHOP, kind: "full", finishedAt: { not: null } } })) >
        runsBefore,
      60_000,
      500,
    );
    // Tags are rewritten in customer order, paced under the shop's bucket: the first champion is among the first.
    const champion = await db.customerScore.findFirstOrThrow({
      where: { shop: DEMO_SHOP, segment: "champions" },
      orderBy: { customerId: "asc" },
    });
    await waitFor(
      "the new tag in Shopify",
      async () => tagsInShopify(champion.customerId).includes("klant-champions"),
      120_000,
      1_000,
    );
    expect(tagsInShopify(champion.customerId).some((t) => t.startsWith("rfm-"))).toBe(false);
    await shot("settings-saved-en");
    expect(errors).toEqual([]);
  }, 300_000);

  it("GIVEN a logged-in customer who browsed on three days and never ordered THEN the browsing page lists them", async () => {
    // A shopper with an account and no order, as customers/create and the web pixel's endpoint store them
    // (both tested on their own in test/webhooks and test/extensions/web-pixel.test.ts).
    const browser = { first: "Nina", last: "Kijker" };
    const id = 7_999_999_999_001n;
    await db.customer.create({
      data: {
        shop: DEMO_SHOP,
        id,
        firstName: browser.first,
        lastName: browser.last,
        email: "nina.kijker@example.com",
        shopifyUpdatedAt: new Date(),
      },
    });
    const today = Date.now();
    await db.customerVisitDay.createMany({
      data: [0, 2, 5].map((d) => ({
        shop: DEMO_SHOP,
        customerId: id,
        day: new Date(new Date(today - d * 86_400_000).toISOString().slice(0, 10)),
      })),
    });
    await db.customerEngagement.create({ data: { shop: DEMO_SHOP, customerId: id, lastVisitAt: new Date(today) } });
    await page.locator("#app-nav a", { hasText: "Browsing, no order" }).click();
    await expect.poll(() => app.locator("#browsers-count").textContent(), { timeout: 30_000 }).toBe("1 customer");
    expect(await app.locator("#browsers tbody tr").first().locator("td").first().textContent()).toBe(
      `${browser.first} ${browser.last}`,
    );
    expect(await app.locator("#browsers tbody tr").first().locator("td").nth(2).textContent()).toBe("3");
    await shot("browsers-en");

    // The persona overview: the twelve personas of the last full run, from its stored counts.
    await page.locator("#app-nav a", { hasText: "Personas" }).click();
    await expect.poll(() => app.locator("#personas tbody tr").count(), { timeout: 30_000 }).toBe(12);
    expect(await app.locator("#personas tbody tr").first().locator("td").first().textContent()).toBe("High rollers");
    expect(await app.locator("#personas-as-of").textContent()).toMatch(/^Scored as of [A-Z][a-z]{2} \d{1,2}, \d{4}$/);
    const run = await db.scoringRun.findFirstOrThrow({
      where: { shop: DEMO_SHOP, kind: "full", finishedAt: { not: null } },
      orderBy: { id: "desc" },
    });
    const personas = PersonaCounts.parse(run.personas);
    const firstCount = await app.locator("#personas tbody tr").first().locator("td").nth(2).textContent();
    // With engagement data a count; without, the persona says it needs some (never a zero that is not one).
    if (personas.hasEngagement) expect(firstCount).toBe(personas.counts.high_rollers.toLocaleString("en-US"));
    else expect(firstCount).toBe("Needs engagement data");
    await shot("personas-en");
    expect(errors).toEqual([]);
  }, 120_000);

  it("GIVEN a Dutch admin (locale=nl) THEN every page speaks Dutch, with Dutch numbers, money and dates", async () => {
    await page.goto(`${stack.adminUrl}?locale=nl`);
    await expect
      .poll(() => app.locator("#sync-phase").textContent({ timeout: 60_000 }), { timeout: 60_000 })
      .toBe("Bijgewerkt");
    expect(await app.locator("#scoring-phase").textContent()).toMatch(
      /^Gescoord op \d{1,2} [a-z]{3}\.? \d{4} · [\d.]+ klanten$/,
    );
    expect(await app.locator("#segments-as-of").textContent()).toMatch(/€\s?[\d.]+,\d{2} netto besteding$/);
    // The merchant's rename wins over the Dutch preset name.
    expect(await app.locator("#segment-champions").textContent()).toBe("Kanjers");
    expect(await app.locator("#segment-lost").textContent()).toBe("Verloren klanten");
    expect(await app.locator("#pareto-sentence").textContent()).toMatch(
      /^De beste 20% van de klanten brengt \d+% van de omzet/,
    );
    await expect
      .poll(() => page.locator("#app-nav a").allTextContents())
      .toEqual([
        "Kijkt vaak, kocht nooit",
        "Persona's",
        "Voorspelling",
        "Inzichten",
        "In Shopify",
        "Instellingen",
        "Gegevensverzoeken",
      ]);
    const text = await frameText();
    for (const english of ["Customers", "Segment history", "Order history", "Scored as of", "Revenue concentration"])
      expect(text).not.toContain(english);
    expect(await page.frame({ name: "app-iframe" })?.evaluate(() => document.documentElement.lang)).toBe("nl");
    await expectNoEnglish("home");
    await expectNothingClipped("Dutch");
    // The check can fail: an English string planted in the rendered page is found.
    await page.frame({ name: "app-iframe" })?.evaluate(() => {
      const planted = document.createElement("p");
      planted.id = "planted-english";
      planted.textContent = "Revenue concentration";
      document.body.appendChild(planted);
    });
    expect(englishWords(await frameText(), { allow: await shopData() })).toEqual(["revenue", "concentration"]);
    await page.frame({ name: "app-iframe" })?.evaluate(() => document.getElementById("planted-english")?.remove());
    await shot("home-nl");

    await app.locator("#segment-lost").click();
    await expect
      .poll(() => app.locator("#segment-rule").first().textContent(), { timeout: 30_000 })
      .toMatch(/^Laatste bestelling \d+ of meer dagen geleden/);
    expect(await app.locator("#segment-actions").textContent()).toMatch(/mail/i);
    expect(await app.locator("#segment-customers thead").textContent()).toContain("Netto besteding");
    expect(await app.locator("#export-csv").textContent()).toBe("CSV exporteren");
    await expectNoEnglish("segment");
    // The Dutch CSV: what a Dutch Excel reads — semicolons, decimal commas, Dutch headers and segment names.
    const [dutchDownload] = await Promise.all([
      page.waitForEvent("download", { timeout: 30_000 }),
      app.locator("#export-csv").click(),
    ]);
    const dutchCsv = readFileSync((await dutchDownload.path()) as string, "utf8");
    expect(dutchCsv.startsWith("\uFEFF")).toBe(true);
    const [dutchHeader, ...dutchRows] = readCsv(dutchCsv.slice(1), ";");
    expect(dutchHeader).toEqual([
      "Klant-ID",
      "E-mail",
      "Voornaam",
      "Achternaam",
      "Segment",
      "R",
      "F",
      "M",
      "RFM",
      "Bestellingen",
      "Netto besteding",
      "Laatste bestelling",
      "Gedrag",
      "Aangemeld voor e-mailmarketing",
      "Aangemeld voor sms-marketing",
      "Kans dat de klant nog koopt",
      "Voorspelde waarde (12 maanden)",
      "Verwachte bestellingen (12 maanden)",
    ]);
    expect(dutchRows).toHaveLength(await db.customerScore.count({ where: { shop: DEMO_SHOP, segment: "lost" } }));
    for (const row of dutchRows) {
      expect(row[4]).toBe("Verloren klanten");
      expect(row[10]).toMatch(/^\d+,\d{2}$/);
    }
    await shot("segment-nl");

    const customer = await db.customerScore.findFirstOrThrow({
      where: { shop: DEMO_SHOP, segment: "lost" },
      orderBy: { customerId: "asc" },
    });
    await page.goto(`${stack.adminUrl}/customers/${customer.customerId}?locale=nl`);
    await expect
      .poll(() => app.locator("#explain-r").textContent(), { timeout: 30_000 })
      .toMatch(new RegExp(`^R ${customer.r}: laatste bestelling \\d+(–\\d+)? dagen geleden`));
    expect(await app.locator("#segment-name").textContent()).toBe("Verloren klanten");
    expect(await app.locator("#total-net").textContent()).toMatch(/€/);
    expect(await app.locator("#customer-prediction").innerText()).toMatch(
      /^Voorspellingen\n+(Kans dat de klant nog koopt: \d+ ?%\n+Met \d+ bestelling|(Nog geen|Geen) voorspellingen)/,
    );
    await expectNoEnglish("customer");
    await shot("customer-nl");

    // What does not exist: a Polaris page in Dutch with the way back, never bare text.
    const errorsBefore = errors.length;
    for (const [path, title, name] of [
      ["/segments/bestaat-niet", "Dit segment bestaat niet", "unknown-segment-nl"],
      ["/customers/999999999999999", "Deze klant staat niet in de app", "unknown-customer-nl"],
      ["/bestaat-niet", "Pagina niet gevonden", "unknown-page-nl"],
    ] as const) {
      await page.goto(`${stack.adminUrl}${path}?locale=nl`);
      await expect
        .poll(() => app.locator("#not-found-back").textContent(), { timeout: 30_000 })
        .toBe("Terug naar het overzicht");
      expect(await app.locator("h1").first().textContent()).toBe(title);
      await expectNoEnglish(name);
      await shot(name);
    }
    // The 404 status is the point; Chromium reports each such document as a failed load, and nothing else may fail.
    expect(errors.splice(errorsBefore).filter((e) => !/status of 404/.test(e))).toEqual([]);
    await app.locator("#not-found-back").click();
    await expect.poll(() => app.locator("#segment-lost").textContent(), { timeout: 30_000 }).toBe("Verloren klanten");

    for (const [path, ready, name] of [
      ["/browsers", "#browsers-count", "browsers"],
      ["/personas", "#personas", "personas"],
      ["/shopify", "#discount-code", "in-shopify"],
      ["/data-requests", "#data-requests", "data-requests"],
    ] as const) {
      await page.goto(`${stack.adminUrl}${path}?locale=nl`);
      await app.locator(ready).waitFor({ timeout: 30_000 });
      await expectNoEnglish(name);
      await shot(`${name}-nl`);
    }

    await page.goto(`${stack.adminUrl}/settings?locale=nl`);
    const stability = app.locator("#setting-stability");
    await expect.poll(() => stability.inputValue(), { timeout: 30_000 }).toBe("1");
    expect(await frameText()).toContain("Tagvoorvoegsel");
    // Peak season days as Dutch writes them (day first), under the season's Dutch name; typed either way.
    const christmasFrom = app.locator("#peak-christmas-from");
    expect(await christmasFrom.inputValue()).toBe("01-12");
    expect(await app.locator("#peak-christmas-to").inputValue()).toBe("24-12");
    expect(await app.locator("label[for=peak-christmas-from]").textContent()).toBe("Kerst: van");
    await christmasFrom.fill("1 december");
    expect(await christmasFrom.inputValue()).toBe("1 december");
    // The behaviour settings carry the segment's own name, as the dashboard shows it.
    expect(await frameText()).toContain("Koopjesjagers: bestellingen op startdagen van acties");
    await expectNoEnglish("settings");
    await stability.fill("2");
    await page.locator("#save-bar button", { hasText: "Opslaan" }).click();
    await expect
      .poll(() => app.locator("#settings-saved").textContent(), { timeout: 30_000 })
      .toBe("Instellingen opgeslagen: opnieuw scoren en Shopify bijwerken");
    await expect
      .poll(
        async () =>
          ((await db.shopSettings.findUniqueOrThrow({ where: { shop: DEMO_SHOP } })).rfm as { stabilityRuns?: number })
            .stabilityRuns,
      )
      .toBe(2);
    await shot("settings-nl");
    expect(errors).toEqual([]);
    expect(cdn).toEqual([]);
  }, 300_000);

  it("GIVEN the merchant confirms Remove all app tags THEN a job takes the app's tags, metafields and segments out of Shopify and the page says what went and how to undo", async () => {
    await page.goto(`${stack.adminUrl}/shopify`);
    await app.locator("#remove-tags").click({ timeout: 30_000 });
    await app.locator("#remove-tags-confirm").click();
    await expect
      .poll(() => app.locator("#tags-removal").textContent(), { timeout: 180_000, interval: 1_000 })
      .toMatch(
        /^Removed [\d,]+ tags from [\d,]+ customers, [\d,]+ metafields and \d+ Shopify segments \(.+\)\. Your own tags stayed\.$/,
      );
    expect(await app.locator("#tags-undo").textContent()).toContain("Write to Shopify again");
    const shop = stack.emulator.shop(DEMO_SHOP);
    const scored = await db.customerScore.findMany({ where: { shop: DEMO_SHOP }, select: { customerId: true } });
    for (const { customerId } of scored)
      expect(tagsInShopify(customerId).filter((t) => t.startsWith("klant-"))).toEqual([]);
    expect(
      [...shop.customerMetafields.values()].flatMap((m) => [...m.keys()]).filter((k) => k.startsWith("rfm.")),
    ).toEqual([]);
    expect([...shop.segments.values()].filter((x) => x.name.startsWith("RFM · "))).toEqual([]);
    await shot("removed-en");
    expect(errors).toEqual([]);
  }, 240_000);
});
