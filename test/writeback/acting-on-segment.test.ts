import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { logger } from "../../app/platform/logger.server";
import { createAdminClient, type AdminClient } from "../../app/shopify/admin-client.server";
import { syncShopifySegments } from "../../app/pipeline/write-back/shopify-segments.server";
import { loadRfmSettings, saveRfmSettings } from "../../app/settings/settings.server";
import { resolveLocale } from "../../app/i18n/locale.server";
import { MESSAGES } from "../../app/i18n/messages";
import { formatters } from "../../app/i18n/format";
import { SEGMENT_KEYS } from "../../app/domain/rfm/segments";
import { BEHAVIOUR_KEYS } from "../../app/domain/rfm/behaviours";
import { actionTool, recommendedActions } from "../../app/i18n/rfm/actions";
import {
  discountBlocker,
  submitDiscountForm,
  type DiscountFormInput,
} from "../../app/pages/segment/discount-form.server";
import { discountFieldError, currencyAffix } from "../../app/components/DiscountForm";
import { loadSegmentPage, segmentAction } from "../../app/pages/segment/segment-view.server";
import { loadShopifyPage } from "../../app/pages/shopify/shopify-page.server";
import { loadDashboard } from "../../app/pages/dashboard/dashboard.server";
import { syncLine, syncLineText } from "../../app/pages/dashboard/sync-feedback";
import { startAdminEmulator, type AdminEmulator } from "../emulator/server";
import { routeShopifyToEmulator } from "../emulator/shopify-origin-routing";
import { TEST_APP } from "../setup/test-app";

/**
 * Acting on a segment, on the real database and against the emulated Admin API over HTTP: the discount form's
 * own checks (per field, en and nl) apart from Shopify's refusals, Shopify segments named in the shop's
 * language from the first write-back and listed in RFM order, no segment nobody can be in, the sync line.
 */

const DUTCH = "acting-nl.myshopify.com";
const ENGLISH = "acting-en.myshopify.com";
const db = createDb(process.env.DATABASE_URL as string, 2);
let emulator: AdminEmulator;
const admins = new Map<string, AdminClient>();
const deps = (shop: string) => ({ db, admin: admins.get(shop) as AdminClient, logger });
const calls = (shop: string) => emulator.log.filter((l) => l.shop === shop).length;
const page = (shop: string, path: string, locale?: string) =>
  new Request(`https://rfm.example/app${path}${locale ? `${path.includes("?") ? "&" : "?"}locale=${locale}` : ""}`);

beforeAll(async () => {
  emulator = await startAdminEmulator({
    app: TEST_APP,
    shops: [
      { domain: DUTCH, name: "Acting NL", dataset: { customers: 10, orders: 20 } },
      { domain: ENGLISH, name: "Acting EN", dataset: { customers: 10, orders: 20 } },
    ],
  });
  routeShopifyToEmulator(emulator.url);
  for (const shop of [DUTCH, ENGLISH]) {
    const emulated = emulator.shop(shop);
    emulated.grantedScopes = TEST_APP.scopes.split(",");
    const token = emulated.issueToken(TEST_APP.scopes, false).access_token;
    admins.set(shop, createAdminClient({ shop, accessToken: token, logger }));
    // Installed (afterAuth records the shop), nobody has opened the app yet.
    await db.shop.create({ data: { shop, currencyCode: "EUR" } });
  }
}, 30_000);

afterAll(async () => {
  await emulator?.close();
  await db.$disconnect();
});

describe("Shopify segments in the shop's language, in RFM order", () => {
  it("GIVEN a Dutch admin opens the app first WHEN write-back runs with nobody present THEN every segment is named in Dutch from the first write-back, and an English admin later renames nothing", async () => {
    await resolveLocale(db, DUTCH, page(DUTCH, "", "nl-NL"));
    expect((await loadRfmSettings(db, DUTCH)).writeBack.language).toBe("nl");
    const first = await syncShopifySegments(deps(DUTCH), DUTCH);
    expect(first.created).toBe(11);
    const names = [...emulator.shop(DUTCH).segments.values()].map((s) => s.name);
    expect(names).toContain("RFM · Topklanten");
    expect(names).not.toContain("RFM · Champions");

    await resolveLocale(db, DUTCH, page(DUTCH, "", "en"));
    expect((await loadRfmSettings(db, DUTCH)).writeBack.language).toBe("nl");
    const before = calls(DUTCH);
    expect(await syncShopifySegments(deps(DUTCH), DUTCH)).toEqual({
      created: 0,
      updated: 0,
      unchanged: 11,
      deleted: 0,
    });
    expect(calls(DUTCH)).toBe(before);
  });

  it("GIVEN the merchant chooses English in Settings THEN the next write-back renames the segments, ids kept", async () => {
    const ids = [...emulator.shop(DUTCH).segments.keys()].sort();
    const settings = await loadRfmSettings(db, DUTCH);
    await saveRfmSettings(db, DUTCH, { ...settings, writeBack: { ...settings.writeBack, language: "en" } });
    expect(await syncShopifySegments(deps(DUTCH), DUTCH)).toEqual({
      created: 0,
      updated: 11,
      unchanged: 0,
      deleted: 0,
    });
    expect([...emulator.shop(DUTCH).segments.values()].map((s) => s.name)).toContain("RFM · Champions");
    expect([...emulator.shop(DUTCH).segments.keys()].sort()).toEqual(ids);
    await saveRfmSettings(db, DUTCH, settings);
    await syncShopifySegments(deps(DUTCH), DUTCH);
  });

  it("GIVEN no storefront visits or email clicks THEN no Shopify segment for lost but engaged or the browsers, and the In Shopify page says why; GIVEN one THEN both are made", async () => {
    expect(
      await db.shopifySegment.findUnique({ where: { shop_key: { shop: DUTCH, key: "lost_engaged" } } }),
    ).toBeNull();
    expect(await db.shopifySegment.findUnique({ where: { shop_key: { shop: DUTCH, key: "browsing" } } })).toBeNull();
    const waiting = await loadShopifyPage(db, DUTCH, page(DUTCH, "/shopify", "nl"));
    expect(waiting.waitingForEngagement).toBe("Verloren maar betrokken");

    await db.customerEngagement.create({ data: { shop: DUTCH, customerId: 1n, lastVisitAt: new Date() } });
    expect(await syncShopifySegments(deps(DUTCH), DUTCH)).toMatchObject({ created: 2, deleted: 0 });
    expect([...emulator.shop(DUTCH).segments.values()].map((s) => s.name)).toEqual(
      expect.arrayContaining(["RFM · Verloren maar betrokken", "RFM · Kijkt vaak, kocht nooit"]),
    );
    expect((await loadShopifyPage(db, DUTCH, page(DUTCH, "/shopify"))).waitingForEngagement).toBeNull();
  });

  it("GIVEN segments and behaviour tags in Shopify THEN the In Shopify page lists them in the segment table's order, not by key", async () => {
    const settings = await loadRfmSettings(db, DUTCH);
    await saveRfmSettings(db, DUTCH, {
      ...settings,
      writeBack: { ...settings.writeBack, behaviourTags: ["vip_top_5", "coupon_shopper"] },
    });
    await syncShopifySegments(deps(DUTCH), DUTCH);
    const listed = (await loadShopifyPage(db, DUTCH, page(DUTCH, "/shopify"))).segments.map((s) => s.key);
    const expected = [
      ...SEGMENT_KEYS,
      ...BEHAVIOUR_KEYS.filter((b) => b === "vip_top_5" || b === "coupon_shopper"),
      "browsing",
    ];
    expect(listed).toEqual(expected);
    expect(listed).not.toEqual([...listed].sort());
  });
});

describe("the discount form", () => {
  const form = (over: Partial<DiscountFormInput> = {}): DiscountFormInput => ({
    intent: "discount",
    segmentKey: "at_risk",
    title: "Kom terug",
    code: "TERUG15",
    kind: "percentage",
    value: "15",
    endsOn: "",
    ...over,
  });
  const submit = (shop: string, input: DiscountFormInput) => {
    let adminMade = 0;
    const admin = () => {
      adminMade++;
      return admins.get(shop) as AdminClient;
    };
    return submitDiscountForm({ db, admin }, shop, input, new Date("2026-12-02T10:00:00Z")).then((result) => ({
      result,
      adminMade,
    }));
  };

  it("GIVEN bad input in every field THEN each field carries its own message in English and Dutch, and Shopify is not asked", async () => {
    const before = calls(DUTCH);
    const { result, adminMade } = await submit(
      DUTCH,
      form({ title: "  ", code: "X Y", value: "150", endsOn: "2026-11-30" }),
    );
    expect(result.created).toBeNull();
    expect(result.shopifyErrors).toEqual([]);
    expect(result.fieldErrors).toEqual({
      title: "required",
      code: "codeChars",
      value: "percentMax",
      endsOn: "endPast",
    });
    expect(adminMade).toBe(0);
    expect(calls(DUTCH)).toBe(before);
    const en = MESSAGES.en;
    const nl = MESSAGES.nl;
    expect(discountFieldError(result, "title", en)).toBe("Fill this in.");
    expect(discountFieldError(result, "code", en)).toBe("Use only letters, digits, - and _ (no spaces).");
    expect(discountFieldError(result, "value", en)).toBe("A percentage is at most 100.");
    expect(discountFieldError(result, "endsOn", en)).toBe("The end date is in the past.");
    expect(discountFieldError(result, "title", nl)).toBe("Vul dit in.");
    expect(discountFieldError(result, "code", nl)).toBe("Gebruik alleen letters, cijfers, - en _ (geen spaties).");
    expect(discountFieldError(result, "value", nl)).toBe("Een percentage is maximaal 100.");
    expect(discountFieldError(result, "endsOn", nl)).toBe("De einddatum ligt in het verleden.");
    expect(discountFieldError(result, "kind", en)).toBeUndefined();
  });

  it("GIVEN a fixed amount with a decimal comma, zero, or words THEN a number is asked for on the value field", async () => {
    expect((await submit(DUTCH, form({ kind: "fixed_amount", value: "0" }))).result.fieldErrors).toEqual({
      value: "positive",
    });
    expect((await submit(DUTCH, form({ kind: "fixed_amount", value: "tien" }))).result.fieldErrors).toEqual({
      value: "number",
    });
    expect((await submit(DUTCH, form({ code: "AB" }))).result.fieldErrors).toEqual({ code: "codeShort" });
    const { result } = await submit(DUTCH, form({ kind: "fixed_amount", value: "7,50", code: "ZEVENVIJFTIG" }));
    expect(result.fieldErrors).toEqual({});
    expect(result.created?.code).toBe("ZEVENVIJFTIG");
    const made = [...emulator.shop(DUTCH).discounts.values()].find((d) => d.code === "ZEVENVIJFTIG");
    expect(made?.amount).toBe("7.50");
  });

  it("GIVEN a valid code THEN it is created for that Shopify segment and the answer links to the discount's admin page", async () => {
    const { result } = await submit(DUTCH, form({ endsOn: "2026-12-31" }));
    expect(result).toMatchObject({ fieldErrors: {}, shopifyErrors: [] });
    const made = [...emulator.shop(DUTCH).discounts.values()].find((d) => d.code === "TERUG15");
    const segment = await db.shopifySegment.findUniqueOrThrow({ where: { shop_key: { shop: DUTCH, key: "at_risk" } } });
    expect(made?.segmentIds).toEqual([segment.segmentId]);
    const numericId = made?.id.split("/").pop();
    expect(result.created).toEqual({
      code: "TERUG15",
      adminUrl: `https://admin.shopify.com/store/acting-nl/discounts/${numericId}`,
    });
  });

  it("GIVEN a code Shopify already has THEN Shopify's own message comes back as Shopify's, with no field blamed by the app", async () => {
    const { result, adminMade } = await submit(DUTCH, form());
    expect(adminMade).toBe(1);
    expect(result.created).toBeNull();
    expect(result.fieldErrors).toEqual({});
    expect(result.shopifyErrors).toEqual(["Code must be unique. Please try a different code."]);
  });

  it("GIVEN a behaviour without a Shopify segment THEN the segment page disables the button with the reason, and a posted form is refused by the app, not by Shopify", async () => {
    const data = await loadSegmentPage(db, DUTCH, page(DUTCH, "/segments/dissatisfied"), "dissatisfied");
    expect(data.discountBlocked).toBe("behaviourTagOff");
    expect(MESSAGES.nl.discount.blocked[data.discountBlocked ?? "notYetWritten"]).toMatch(
      /^Zet de tag voor dit gedrag/,
    );
    const before = calls(DUTCH);
    const body = new URLSearchParams({
      intent: "discount",
      title: "Sorry",
      code: "SORRY10",
      kind: "percentage",
      value: "10",
    });
    const result = await segmentAction(
      { db, adminClient: () => admins.get(DUTCH) as AdminClient },
      DUTCH,
      new Request("https://rfm.example/app/segments/dissatisfied", { method: "POST", body }),
      "dissatisfied",
    );
    expect(result).toEqual({ created: null, fieldErrors: { segmentKey: "notSynced" }, shopifyErrors: [] });
    expect(calls(DUTCH)).toBe(before);
    const synced = await loadSegmentPage(db, DUTCH, page(DUTCH, "/segments/at_risk"), "at_risk");
    expect(synced.discountBlocked).toBeNull();
  });

  it("GIVEN each reason a segment has no Shopify segment THEN the blocker names it", () => {
    const w = {
      enabled: true,
      tagPrefix: "rfm-",
      segmentTags: true,
      behaviourTags: [] as ("vip_top_5" | "dissatisfied")[],
      language: null,
    };
    expect(discountBlocker("at_risk", { writeBack: w }, true, false)).toBeNull();
    expect(discountBlocker("at_risk", { writeBack: { ...w, enabled: false } }, false, true)).toBe("tagsOff");
    expect(discountBlocker("at_risk", { writeBack: { ...w, segmentTags: false } }, false, true)).toBe("segmentTagsOff");
    expect(discountBlocker("vip_top_5", { writeBack: w }, false, true)).toBe("behaviourTagOff");
    expect(discountBlocker("lost_engaged", { writeBack: w }, false, false)).toBe("noEngagement");
    expect(discountBlocker("vip_top_5", { writeBack: { ...w, behaviourTags: ["vip_top_5"] } }, false, true)).toBe(
      "notYetWritten",
    );
  });

  it("GIVEN the shop's money format THEN the currency sits where the locale writes it", () => {
    expect(currencyAffix(formatters("nl-NL", "EUR", null).money(0))).toEqual({ prefix: "€" });
    expect(currencyAffix(formatters("en-US", "USD", null).money(0))).toEqual({ prefix: "$" });
    expect(currencyAffix(formatters("de-DE", "EUR", null).money(0))).toEqual({ suffix: "€" });
  });
});

describe("What to do", () => {
  it("GIVEN every action that names a Shopify tool THEN it links to that tool's real admin page, in both languages", async () => {
    for (const language of ["en", "nl"] as const)
      for (const key of [...SEGMENT_KEYS, ...BEHAVIOUR_KEYS])
        for (const text of recommendedActions(key, language))
          if (/Shopify|klantsegment|customer segment|kortingscode|discount code/i.test(text))
            expect(actionTool(text), `${language} ${key}: ${text}`).not.toBeNull();
    const data = await loadSegmentPage(db, DUTCH, page(DUTCH, "/segments/champions", "nl"), "champions");
    const segment = await db.shopifySegment.findUniqueOrThrow({
      where: { shop_key: { shop: DUTCH, key: "champions" } },
    });
    const store = "https://admin.shopify.com/store/acting-nl";
    const links = data.actions.flatMap((a) => (a.link ? [a.link] : []));
    expect(links).toContainEqual({ label: "email", url: `${store}/apps/shopify-email` });
    for (const link of links)
      expect([
        `${store}/apps/shopify-email`,
        `${store}/apps/flow`,
        `${store}/discounts`,
        `${store}/customers/segments`,
        `${store}/customers/segments/${segment.segmentId.split("/").pop()}`,
      ]).toContain(link.url);
    const vip = await loadSegmentPage(db, DUTCH, page(DUTCH, "/segments/vip_top_5"), "vip_top_5");
    expect(vip.actions.map((a) => a.link?.label ?? null)).toEqual(["email", null, "flow"]);
  });
});

describe("the sync line", () => {
  it("GIVEN a reconcile that found nothing new THEN it says 'No new orders since …', never '0 of 0 orders'", async () => {
    const since = new Date("2026-12-01T03:30:00Z");
    await db.syncRun.create({
      data: {
        shop: ENGLISH,
        kind: "reconcile",
        status: "completed",
        updatedSince: since,
        ordersExpected: 0,
        ordersIngested: 0,
        startedAt: new Date("2026-12-02T03:30:00Z"),
        finishedAt: new Date("2026-12-02T03:31:00Z"),
      },
    });
    const d = await loadDashboard(db, ENGLISH, "en", new Date("2026-12-02T04:00:00Z"));
    const current = d.sync.current;
    if (!current) throw new Error("the sync run is missing");
    const line = syncLine(current);
    expect(line).toEqual({ kind: "noneSince", since: since.toISOString() });
    const en = syncLineText(line, MESSAGES.en, formatters("en-US", "EUR", "Europe/Amsterdam"));
    const nl = syncLineText(line, MESSAGES.nl, formatters("nl-NL", "EUR", "Europe/Amsterdam"));
    expect(en).toMatch(/^No new orders since Dec 1, 04:30/);
    expect(nl).toMatch(/^Geen nieuwe bestellingen sinds 1 dec/);
    expect(`${en} ${nl}`).not.toMatch(/\b0 (of|van) 0\b/);
  });

  it("GIVEN a backfill that brought orders, or one still exporting THEN the line counts orders or says Shopify is preparing them", () => {
    expect(syncLine({ status: "completed", ordersExpected: 20, ordersIngested: 20, updatedSince: null })).toEqual({
      kind: "synced",
      orders: 20,
    });
    expect(syncLine({ status: "running", ordersExpected: null, ordersIngested: 0, updatedSince: null })).toEqual({
      kind: "exporting",
    });
    expect(syncLine({ status: "ingesting", ordersExpected: 40, ordersIngested: 12, updatedSince: null })).toEqual({
      kind: "progress",
      done: 12,
      total: 40,
    });
    expect(syncLine({ status: "completed", ordersExpected: 0, ordersIngested: 0, updatedSince: null })).toEqual({
      kind: "none",
    });
  });
});

describe("removing all app tags", () => {
  it("GIVEN tags on customers and segments in Shopify THEN the page has the counts the modal names; once removed it says so", async () => {
    await db.customerTagState.createMany({
      data: [1n, 2n, 3n].map((customerId) => ({ shop: DUTCH, customerId, tags: ["rfm-champions"] })),
    });
    const on = await loadShopifyPage(db, DUTCH, page(DUTCH, "/shopify"));
    expect(on.writeBackEnabled).toBe(true);
    expect(on.footprint).toMatchObject({ tagCustomers: 3, segments: 15 });
    expect(on.tagPrefix).toBe("rfm-");

    const settings = await loadRfmSettings(db, DUTCH);
    await saveRfmSettings(db, DUTCH, { ...settings, writeBack: { ...settings.writeBack, enabled: false } });
    expect(await syncShopifySegments(deps(DUTCH), DUTCH)).toMatchObject({ deleted: 15 });
    await db.customerTagState.deleteMany({ where: { shop: DUTCH } });
    await db.writeBackRun.create({
      data: { shop: DUTCH, phase: "done", tagCustomers: 3, segmentsChanged: 15, finishedAt: new Date() },
    });
    const off = await loadShopifyPage(db, DUTCH, page(DUTCH, "/shopify"));
    expect(off.writeBackEnabled).toBe(false);
    expect(off.footprint).toMatchObject({ tagCustomers: 0, segments: 0 });
    expect(off.removal).toBeNull();
    expect(emulator.shop(DUTCH).segments.size).toBe(0);
  });
});
