import { existsSync, readFileSync } from "node:fs";
import { h } from "preact";
import { render } from "preact-render-to-string";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { PRESETS } from "../../app/i18n/rfm/presets";
import type { SegmentKey } from "../../app/domain/rfm/segments";
import { startDemoStack, DEMO_SHOP, type DemoStack } from "../demo/stack";
import { mintSessionToken } from "../emulator/session-token";
import { installAndBackfill } from "../support/install";
import { TEST_APP } from "../setup/test-app";
import { BROWSER_UA } from "../support/merchant";
import { CustomerBlock, type BlockI18n } from "../../extensions/rfm-customer-block/src/CustomerBlock";
import { loadCustomerBlock, type BlockState } from "../../extensions/rfm-customer-block/src/load";
import type { CustomerBlockPayload } from "../../extensions/rfm-customer-block/src/payload";
import en from "../../extensions/rfm-customer-block/locales/en.default.json";
import nl from "../../extensions/rfm-customer-block/locales/nl.json";
import { buildExtensions } from "../../app/cli/build-extensions";

/**
 * The customer-details admin block: its backend endpoint over real HTTP with
 * real session tokens (scoped to the token's shop), the block rendered from
 * what that endpoint answers, and the bundle the build script produces.
 */

const OTHER_SHOP = "block-other.myshopify.com";
// Where Shopify runs admin UI extensions: a different origin from the app, in the merchant's browser (Shopify's library answers bots 410).
const EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";
const BROWSER = { Origin: EXTENSION_ORIGIN, "User-Agent": BROWSER_UA };
const db = createDb(process.env.DATABASE_URL as string, 2);
let stack: DemoStack;

type Catalog = { [key: string]: string | Catalog };

/** Shopify's translate over the extension's own locale files: dotted keys, {{name}} replacements. */
function i18nFor(locale: "en" | "nl"): BlockI18n {
  const catalog: Catalog = locale === "nl" ? nl : en;
  const day = new Intl.DateTimeFormat(locale, { timeZone: "UTC", day: "numeric", month: "short", year: "numeric" });
  return {
    translate: (key, replacements = {}) => {
      const found = key
        .split(".")
        .reduce<string | Catalog | undefined>(
          (node, part) => (typeof node === "object" ? node[part] : undefined),
          catalog,
        );
      if (typeof found !== "string") throw new Error(`no translation for ${key} in ${locale}`);
      return found.replace(/\{\{(\w+)\}\}/g, (_, name: string) => replacements[name] ?? `{{${name}}}`);
    },
    formatDay: (iso) => day.format(new Date(`${iso}T00:00:00Z`)),
  };
}

/** The text a merchant reads: markup stripped, entities decoded, whitespace collapsed. */
function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

const renderBlock = (state: BlockState, locale: "en" | "nl") =>
  render(h(CustomerBlock, { state, i18n: i18nFor(locale) }));

async function sessionToken(shop: string): Promise<string> {
  const response = await fetch(`${stack.emulator.url}/emulator/session-token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ shop, apiKey: TEST_APP.apiKey }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

function getBlock(id: string, opts: { token?: string; locale?: string } = {}) {
  const query = opts.locale ? `?locale=${opts.locale}` : "";
  return fetch(`${stack.appUrl}/api/customer-block/${id}${query}`, {
    headers: { ...BROWSER, ...(opts.token ? { Authorization: `Bearer ${opts.token}` } : {}) },
  });
}

/** The admin's fetch for an extension: relative URLs go to the app's URL, with a fresh ID token for the shop. */
const adminFetch = (shop: string) => async (input: string, init?: RequestInit) =>
  fetch(new URL(input, stack.appUrl), {
    ...init,
    headers: { ...BROWSER, Authorization: `Bearer ${await sessionToken(shop)}` },
  });

let scored: { customerId: bigint; segment: string; r: number; f: number; m: number; segmentSince: Date };

beforeAll(async () => {
  stack = await startDemoStack({
    databaseUrl: process.env.DATABASE_URL as string,
    dataset: { customers: 40, orders: 120 },
  });
  stack.emulator.addShop({ domain: OTHER_SHOP, name: "Andere Winkel", dataset: { customers: 5, orders: 10, seed: 3 } });
  for (const shop of [DEMO_SHOP, OTHER_SHOP]) await installAndBackfill(stack, db, shop);
  const otherIds = new Set(
    (await db.customer.findMany({ where: { shop: OTHER_SHOP }, select: { id: true } })).map((c) => c.id),
  );
  // A customer of the demo shop the other shop does not have, so "other shop" cannot mean "same id there".
  const candidates = await db.customerScore.findMany({ where: { shop: DEMO_SHOP }, orderBy: { customerId: "desc" } });
  const pick = candidates.find((c) => !otherIds.has(c.customerId));
  if (!pick) throw new Error("no demo-shop customer unknown to the other shop");
  scored = pick;
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  await db.$disconnect();
});

describe("GET /api/customer-block/<id> over real HTTP", () => {
  it("GIVEN a valid session token WHEN the block asks for a scored customer THEN 200 with the stored scores, segment and explanations, with CORS for the extension", async () => {
    const response = await getBlock(String(scored.customerId), { token: await sessionToken(DEMO_SHOP), locale: "en" });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const body = (await response.json()) as CustomerBlockPayload;
    expect(body.language).toBe("en");
    expect(body.customerId).toBe(String(scored.customerId));
    expect(body.score?.code).toBe(`${scored.r}${scored.f}${scored.m}`);
    expect(body.score?.segment).toEqual({
      key: scored.segment,
      name: PRESETS.en[scored.segment as SegmentKey],
      since: scored.segmentSince.toISOString().slice(0, 10),
    });
    expect(body.score?.dimensions.map((d) => [d.dimension, d.score])).toEqual([
      ["r", scored.r],
      ["f", scored.f],
      ["m", scored.m],
    ]);
    expect(body.score?.dimensions[0]?.explanation).toMatch(
      new RegExp(`^R ${scored.r}: last order .*% of customers\\)$`),
    );
    expect(body.score?.dimensions[1]?.explanation).toMatch(new RegExp(`^F ${scored.f}: .*order`));
    expect(body.score?.dimensions[2]?.explanation).toMatch(new RegExp(`^M ${scored.m}: net spend .*€`));
    expect(body.lastChange).toEqual({
      from: null,
      to: PRESETS.en[scored.segment as SegmentKey],
      on: body.score?.segment.since,
    });
    expect(body.predicted).toEqual([]);
    expect(body.appPath).toBe(`/app/customers/${scored.customerId}`);
  });

  it("GIVEN Shopify has predictions for the customer WHEN the block asks THEN they come along, worded in the admin's language", async () => {
    stack.emulator
      .shop(DEMO_SHOP)
      .customerStatistics.set(Number(scored.customerId), { predictedSpendTier: "HIGH", rfmGroup: "AT_RISK" });
    try {
      const en = (await (
        await getBlock(String(scored.customerId), { token: await sessionToken(DEMO_SHOP), locale: "en" })
      ).json()) as CustomerBlockPayload;
      expect(en.predicted).toEqual([
        { key: "predictedSpendTier", value: "High" },
        { key: "rfmGroup", value: "At risk" },
      ]);
      const nl = (await (
        await getBlock(String(scored.customerId), { token: await sessionToken(DEMO_SHOP), locale: "nl" })
      ).json()) as CustomerBlockPayload;
      expect(nl.predicted).toEqual([
        { key: "predictedSpendTier", value: "Hoog" },
        { key: "rfmGroup", value: "Risico" },
      ]);
    } finally {
      stack.emulator.shop(DEMO_SHOP).customerStatistics.delete(Number(scored.customerId));
    }
  });

  it("GIVEN ?locale=nl WHEN the block asks THEN segment names and explanations are Dutch", async () => {
    const body = (await (
      await getBlock(String(scored.customerId), { token: await sessionToken(DEMO_SHOP), locale: "nl" })
    ).json()) as CustomerBlockPayload;
    expect(body.language).toBe("nl");
    expect(body.score?.segment.name).toBe(PRESETS.nl[scored.segment as SegmentKey]);
    expect(body.score?.dimensions[0]?.explanation).toMatch(
      new RegExp(`^R ${scored.r}: laatste bestelling .*% van de klanten\\)$`),
    );
    expect(body.score?.dimensions[2]?.explanation).toMatch(new RegExp(`^M ${scored.m}: netto besteed`));
  });

  it("GIVEN no token, a token signed with the wrong secret, an expired one or one for another app THEN 401, readable by the extension", async () => {
    const id = String(scored.customerId);
    const now = Date.now();
    const tokens: Record<string, string | undefined> = {
      none: undefined,
      wrongSecret: mintSessionToken("not-the-app-secret", { shop: DEMO_SHOP, apiKey: TEST_APP.apiKey }),
      expired: mintSessionToken(TEST_APP.secret, { shop: DEMO_SHOP, apiKey: TEST_APP.apiKey, now: now - 10 * 60_000 }),
      wrongAudience: mintSessionToken(TEST_APP.secret, { shop: DEMO_SHOP, apiKey: "another-apps-client-id" }),
      garbage: "not.a.jwt",
    };
    for (const [kind, token] of Object.entries(tokens)) {
      const response = await getBlock(id, { token, locale: "en" });
      expect(response.status, kind).toBe(401);
      expect(response.headers.get("access-control-allow-origin"), kind).toBe("*");
      expect(await response.text(), kind).not.toContain(`"score"`);
    }
  });

  it("GIVEN a valid token for another shop WHEN it asks for this shop's customer THEN 404 and nothing of the customer", async () => {
    expect(await db.customer.count({ where: { shop: OTHER_SHOP, id: scored.customerId } })).toBe(0);
    const response = await getBlock(String(scored.customerId), { token: await sessionToken(OTHER_SHOP), locale: "en" });
    expect(response.status).toBe(404);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(await response.json()).toEqual({ error: "no such customer" });
  });

  it("GIVEN an unknown or malformed customer id THEN 404", async () => {
    const token = await sessionToken(DEMO_SHOP);
    expect((await getBlock("999999999", { token })).status).toBe(404);
    expect((await getBlock("not-a-number", { token })).status).toBe(404);
    expect((await getBlock("0", { token })).status).toBe(404);
  });

  it("GIVEN a customer of the shop without orders THEN 200 with no score (the block's empty state)", async () => {
    await db.customer.create({
      data: {
        shop: DEMO_SHOP,
        id: 7_777_000_001n,
        firstName: "Nog",
        lastName: "Niemand",
        shopifyUpdatedAt: new Date(),
      },
    });
    const response = await getBlock("7777000001", { token: await sessionToken(DEMO_SHOP), locale: "en" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      customerId: "7777000001",
      name: "Nog Niemand",
      score: null,
      lastChange: null,
    });
  });

  it("GIVEN the browser's CORS preflight from the extension origin THEN 204 allowing the Authorization header", async () => {
    const response = await fetch(`${stack.appUrl}/api/customer-block/${scored.customerId}?locale=en`, {
      method: "OPTIONS",
      headers: {
        ...BROWSER,
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-headers")).toMatch(/Authorization/);
  });

  it("GIVEN a customer who moved from At risk to their segment WHEN the block loads through the admin's fetch THEN it shows the scores and the change in Dutch", async () => {
    const since = scored.segmentSince;
    const from = new Date(since.getTime() - 30 * 86_400_000);
    await db.segmentMembership.create({
      data: {
        shop: DEMO_SHOP,
        customerId: scored.customerId,
        kind: "rfm",
        segment: "at_risk",
        validFrom: from,
        validTo: since,
      },
    });
    const state = await loadCustomerBlock(adminFetch(DEMO_SHOP), `gid://shopify/Customer/${scored.customerId}`, "nl");
    expect(state.status).toBe("ready");
    if (state.status !== "ready") return;
    expect(state.data.lastChange).toEqual({
      from: "Risicoklanten",
      to: PRESETS.nl[scored.segment as SegmentKey],
      on: since.toISOString().slice(0, 10),
    });
    const text = visibleText(renderBlock(state, "nl"));
    const sinceNl = i18nFor("nl").formatDay(since.toISOString().slice(0, 10));
    expect(text).toContain(`${PRESETS.nl[scored.segment as SegmentKey]} sinds ${sinceNl}`);
    expect(text).toContain(`Risicoklanten → ${PRESETS.nl[scored.segment as SegmentKey]} op ${sinceNl}`);
    for (const [i, letter] of ["R", "F", "M"].entries())
      expect(text).toContain(`${letter} ${[scored.r, scored.f, scored.m][i]}: `);

    // Another shop's admin asking for the same customer: the block treats it as unknown, never shows data.
    expect(
      await loadCustomerBlock(adminFetch(OTHER_SHOP), `gid://shopify/Customer/${scored.customerId}`, "nl"),
    ).toEqual({ status: "unknown" });
  });
});

const SCORED: CustomerBlockPayload = {
  language: "en",
  customerId: "8000000000012",
  name: "Anna de Vries",
  email: "anna@example.nl",
  asOf: "2026-11-20",
  score: {
    code: "454",
    segment: { key: "champions", name: "Champions", since: "2026-10-02" },
    dimensions: [
      { dimension: "r", score: 4, explanation: "R 4: last order 31–88 days ago (30% of customers)" },
      { dimension: "f", score: 5, explanation: "F 5: 10–42 orders (4% of customers)" },
      { dimension: "m", score: 4, explanation: "M 4: net spend €310.00–€890.50 (20% of customers)" },
    ],
    behaviours: [{ key: "vip_top_5", name: "VIP top 5%" }],
  },
  lastChange: { from: "Loyal customers", to: "Champions", on: "2026-10-02" },
  predicted: [],
  forecast: {
    facts: [
      {
        key: "pAlive",
        value: "38%",
        explanation:
          "Given 4 orders in 14 months and none in the last 5 months, there is a 38% chance this customer still buys from you.",
      },
      { key: "expectedOrders365", value: "0.6", explanation: "About 0.6 orders are expected." },
      { key: "predictedValue12m", value: "€42.10", explanation: "€42.10 over the next 12 months." },
    ],
  },
  appPath: "/app/customers/8000000000012",
};

const SCORED_NL: CustomerBlockPayload = {
  ...SCORED,
  language: "nl",
  score: {
    code: "454",
    segment: { key: "champions", name: "Topklanten", since: "2026-10-02" },
    dimensions: [
      { dimension: "r", score: 4, explanation: "R 4: laatste bestelling 31–88 dagen geleden (30% van de klanten)" },
      { dimension: "f", score: 5, explanation: "F 5: 10–42 bestellingen (4% van de klanten)" },
      { dimension: "m", score: 4, explanation: "M 4: netto besteed € 310,00–€ 890,50 (20% van de klanten)" },
    ],
    behaviours: [{ key: "vip_top_5", name: "VIP top 5%" }],
  },
  lastChange: { from: "Loyale klanten", to: "Topklanten", on: "2026-10-02" },
  forecast: { unavailable: "Geen voorspellingen: de bestelgeschiedenis van de winkel is korter dan drie maanden." },
};

describe("the block component (rendered with preact-render-to-string)", () => {
  it("GIVEN a scored customer in English THEN segment, since, the three score lines, behaviours, last change and the app link show", () => {
    const html = renderBlock({ status: "ready", data: SCORED }, "en");
    const text = visibleText(html);
    expect(html).toMatch(/^<s-admin-block /);
    expect(text).toContain("Champions since Oct 2, 2026");
    expect(text).toContain("R 4: last order 31–88 days ago (30% of customers)");
    expect(text).toContain("F 5: 10–42 orders (4% of customers)");
    expect(text).toContain("M 4: net spend €310.00–€890.50 (20% of customers)");
    expect(text).toContain("Scores (RFM 454)");
    expect(text).toContain("Behaviour VIP top 5%");
    expect(text).toContain("Last segment change Loyal customers → Champions on Oct 2, 2026");
    expect(text).toContain("Scored as of Nov 20, 2026");
    expect(html).toContain('href="app:/app/customers/8000000000012"');
    expect(text).toContain("Open in RFM Segments");
    expect(text).not.toContain("prediction");
    // The app's own predictions, each with its sentence.
    expect(text).toContain(
      "Predictions Chance still a customer: 38% Given 4 orders in 14 months and none in the last 5 months, there is a 38% chance this customer still buys from you.",
    );
    expect(text).toContain("Expected orders (12 months): 0.6");
    expect(text).toContain("Predicted value (12 months): €42.10 €42.10 over the next 12 months.");
  });

  it("GIVEN a scored customer in Dutch THEN the block's own words and the dates are Dutch too", () => {
    const text = visibleText(renderBlock({ status: "ready", data: SCORED_NL }, "nl"));
    expect(text).toContain("Topklanten sinds 2 okt 2026");
    expect(text).toContain("R 4: laatste bestelling 31–88 dagen geleden (30% van de klanten)");
    expect(text).toContain("F 5: 10–42 bestellingen (4% van de klanten)");
    expect(text).toContain("M 4: netto besteed € 310,00–€ 890,50 (20% van de klanten)");
    expect(text).toContain("Laatste segmentwissel Loyale klanten → Topklanten op 2 okt 2026");
    expect(text).toContain("Gedrag VIP top 5%");
    expect(text).toContain("Openen in RFM Segments");
    // No predictions: one sentence why, no figures.
    expect(text).toContain(
      "Voorspellingen Geen voorspellingen: de bestelgeschiedenis van de winkel is korter dan drie maanden.",
    );
    expect(text).not.toContain("Kans dat de klant nog koopt");
  });

  it("GIVEN a first placement THEN the change reads as placed in the segment", () => {
    const text = visibleText(
      renderBlock(
        { status: "ready", data: { ...SCORED, lastChange: { from: null, to: "Champions", on: "2026-10-02" } } },
        "en",
      ),
    );
    expect(text).toContain("Placed in Champions on Oct 2, 2026");
    expect(text).not.toContain("→");
  });

  it("GIVEN predicted fields from the backend THEN they show, labelled; without them nothing is shown", () => {
    const text = visibleText(
      renderBlock(
        { status: "ready", data: { ...SCORED, predicted: [{ key: "predictedSpendTier", value: "HIGH" }] } },
        "en",
      ),
    );
    expect(text).toContain("Shopify's predictions Predicted spend tier: HIGH");
  });

  it("GIVEN an unscored customer THEN the empty state shows in both languages", () => {
    const unscored: CustomerBlockPayload = { ...SCORED, asOf: null, score: null, lastChange: null };
    const english = visibleText(renderBlock({ status: "ready", data: unscored }, "en"));
    expect(english).toContain("Not scored yet");
    expect(english).toContain("no counted order in the scoring window");
    expect(english).not.toMatch(/R \d:/);
    expect(visibleText(renderBlock({ status: "unknown" }, "nl"))).toContain("Nog niet gescoord");
  });

  it("GIVEN a failed load THEN the error state shows, in both languages", () => {
    expect(visibleText(renderBlock({ status: "error" }, "en"))).toContain("The RFM data could not be loaded.");
    expect(visibleText(renderBlock({ status: "error" }, "nl"))).toContain(
      "De RFM-gegevens konden niet worden geladen.",
    );
    expect(renderBlock({ status: "loading" }, "en")).toContain("<s-spinner");
  });

  it("GIVEN a selection that is not a customer GID, or a backend error THEN the load ends in the error state", async () => {
    const never = () => Promise.reject(new Error("must not be called"));
    expect(await loadCustomerBlock(never, "gid://shopify/Order/1", "en")).toEqual({ status: "error" });
    expect(await loadCustomerBlock(never, undefined, "en")).toEqual({ status: "error" });
    expect(
      await loadCustomerBlock(async () => new Response("boom", { status: 500 }), "gid://shopify/Customer/5", "en"),
    ).toEqual({ status: "error" });
    expect(await loadCustomerBlock(never, "gid://shopify/Customer/5", "en")).toEqual({ status: "error" });
  });

  it("GIVEN both locale files THEN they have the same keys", () => {
    const keys = (c: Catalog, prefix = ""): string[] =>
      Object.entries(c).flatMap(([k, v]) => (typeof v === "string" ? [prefix + k] : keys(v, `${prefix}${k}.`)));
    expect(keys(nl).sort()).toEqual(keys(en).sort());
  });
});

describe("npm run build:extensions", () => {
  it("GIVEN the extension sources WHEN the build script runs THEN dist holds one Preact bundle with a default export and no React", async () => {
    // Only this extension: the others' sources are not this test's business.
    const built = await buildExtensions(undefined, ["rfm-customer-block"]);
    const block = built.find((b) => b.name === "rfm-customer-block");
    expect(block?.outfile).toMatch(/extensions\/rfm-customer-block\/dist\/rfm-customer-block\.js$/);
    expect(existsSync(block?.outfile ?? "")).toBe(true);
    const bundle = readFileSync(block?.outfile ?? "", "utf8");
    expect(bundle).not.toMatch(/from\s*["']react|require\(["']react|react\/jsx-runtime/);
    expect(bundle).not.toMatch(/^import /m);
    expect(bundle).toContain("s-admin-block");
    expect(bundle).toContain("/api/customer-block/");
    expect(bundle).toMatch(/export\s*\{\s*\w+ as default\s*\}/);
  }, 60_000);

  it("GIVEN the web pixel WHEN the build script runs THEN dist/main.js registers the pixel with its consent checks bundled in", async () => {
    const [pixel] = await buildExtensions(undefined, ["rfm-pixel"]);
    expect(pixel?.outfile).toMatch(/extensions\/rfm-pixel\/dist\/main\.js$/);
    const bundle = readFileSync(pixel?.outfile ?? "", "utf8");
    expect(bundle).not.toMatch(/^import /m);
    expect(bundle).toContain("page_viewed");
    expect(bundle).toContain("analyticsProcessingAllowed");
  }, 60_000);
});
