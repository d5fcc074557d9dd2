import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CSV_COMMA } from "../../app/domain/csv";
import { createDb } from "../../app/platform/db.server";
import { recomputeShopAggregates } from "../../app/pipeline/aggregate/aggregates.server";
import { latestFullRun, reconstructHistory, runFullScoring } from "../../app/pipeline/score/scoring.server";
import { RunSummary } from "../../app/pipeline/score/run-shapes";
import { acceptsMarketingSql } from "../../app/pipeline/score/consent-counts.server";
import { saveRfmSettings } from "../../app/settings/settings.server";
import {
  CustomerListQuery,
  segmentCsv,
  segmentCustomers,
  type GroupKey,
} from "../../app/pages/segment/segment-page.server";
import { loadSegmentPage, segmentCsvExport } from "../../app/pages/segment/segment-view.server";
import { loadCustomerPage } from "../../app/pages/customer/customer-page.server";
import { sinceOf } from "../../app/pages/customer/customer-view.server";
import { customerBlock } from "../../app/pages/customer/customer-block.server";
import { loadBrowsersPage } from "../../app/pages/browsers/browsers-page.server";
import { loadDataRequestsPage } from "../../app/pages/data-requests/data-requests-page.server";
import { isWithheld } from "../../app/components/CustomerDataBanner";
import { customerLabel } from "../../app/components/CustomerName";
import { MESSAGES } from "../../app/i18n/messages";
import { acceptsMarketing, EMAIL_MARKETING_STATES, SMS_MARKETING_STATES } from "../../app/domain/consent";
import { collapseVipTiers } from "../../app/domain/rfm/behaviours";
import { customerName } from "../../app/domain/customer-name";
import { epochDay, isoDay } from "../../app/domain/rfm/dates";
import { Random } from "../emulator/random";

/**
 * People, not ids: what the segment page, its CSV, the customer page and the admin block read of a customer
 * (name, email, consent, orders, since dates, VIP tier), and what the pages say when Shopify withholds names.
 */

const db = createDb(process.env.DATABASE_URL as string, 4);
const SHOP = "people-data.myshopify.com";
const AS_OF = "2026-11-20";
const CUSTOMERS = 144;
const NOW = new Date(`${AS_OF}T12:00:00Z`);

// Every email state × every SMS state (and none of either), six times over.
const EMAIL_STATES = [...EMAIL_MARKETING_STATES, null];
const SMS_STATES = [...SMS_MARKETING_STATES, null];
const emailStateOf = (c: number) => EMAIL_STATES[c % EMAIL_STATES.length] ?? null;
const smsStateOf = (c: number) => SMS_STATES[Math.floor(c / EMAIL_STATES.length) % SMS_STATES.length] ?? null;
// Customers 1–4 have no name in Shopify, 5 only a last name, 6 no profile row at all (not imported yet).
const NAMELESS = [1, 2, 3, 4];
const NO_PROFILE = 6;
// The big spender: top 1 % (and so also top 5 % and 20 %).
const WHALE = 100;

const request = (path: string, locale = "en") => new Request(`https://app.example${path}?locale=${locale}`);

beforeAll(async () => {
  const rng = new Random(11);
  await db.shop.create({ data: { shop: SHOP, ianaTimezone: "Europe/Amsterdam", currencyCode: "EUR" } });
  const orders: {
    id: bigint;
    customerId: bigint;
    name: string;
    at: Date;
    total: string;
    refunded: string;
    codes: string[];
    test?: boolean;
    cancelledAt?: Date;
    deletedAt?: Date;
  }[] = [];
  let id = 1n;
  for (let c = 1; c <= CUSTOMERS; c++) {
    const n = c === WHALE ? 12 : c === 10 ? 3 : 1 + Math.floor(rng.next() * 5);
    for (let k = 0; k < n; k++) {
      const total = c === WHALE ? "5000.00" : (10 + Math.floor(rng.next() * 300)).toFixed(2);
      orders.push({
        id: id,
        customerId: BigInt(c),
        name: `#${1000 + Number(id)}`,
        at: new Date(NOW.getTime() - Math.floor(rng.next() * 600) * 86_400_000 - Number(id) * 1000),
        total,
        refunded: k === 1 ? "7.50" : "0",
        codes: k === 0 ? ["WELCOME10"] : [],
      });
      id++;
    }
  }
  // Customer 10 also has a test order, a deleted order and a cancelled one: the page lists the cancelled one only.
  const extra = (over: Partial<(typeof orders)[number]>) =>
    orders.push({
      id: id++,
      customerId: 10n,
      name: `#${1000 + Number(id)}`,
      at: new Date(NOW.getTime() - 3 * 86_400_000),
      total: "40.00",
      refunded: "0",
      codes: [],
      ...over,
    });
  extra({ test: true });
  extra({ deletedAt: NOW });
  extra({ cancelledAt: NOW, codes: ["SORRY"] });
  await db.order.createMany({
    data: orders.map((o) => ({
      shop: SHOP,
      id: o.id,
      customerId: o.customerId,
      name: o.name,
      createdAt: o.at,
      processedAt: o.at,
      shopifyUpdatedAt: o.at,
      cancelledAt: o.cancelledAt ?? null,
      deletedAt: o.deletedAt ?? null,
      test: o.test ?? false,
      currency: "EUR",
      totalPrice: o.total,
      currentTotalPrice: o.total,
      totalRefunded: o.refunded,
      discountCodes: o.codes,
    })),
  });
  const names = ["Anna", "Bram", "Daan", "Eva", "Finn"];
  await db.customer.createMany({
    data: Array.from({ length: CUSTOMERS }, (_, i) => i + 1)
      .filter((c) => c !== NO_PROFILE)
      .map((c) => ({
        shop: SHOP,
        id: BigInt(c),
        firstName: NAMELESS.includes(c) || c === 5 ? null : names[c % names.length],
        lastName: NAMELESS.includes(c) ? null : `Tester${c}`,
        email: NAMELESS.includes(c) ? null : `klant${c}@example.nl`,
        emailMarketingState: emailStateOf(c),
        smsMarketingState: smsStateOf(c),
        shopifyUpdatedAt: NOW,
      })),
  });
  await saveRfmSettings(db, SHOP, { windowMonths: 24 });
  await recomputeShopAggregates(db, SHOP, NOW);
  // A new install: the history is reconstructed 30 days back, then today's full run.
  await reconstructHistory(db, SHOP, NOW);
  await runFullScoring(db, SHOP, { asOf: AS_OF });
}, 60_000);

afterAll(async () => {
  await db.$disconnect();
});

/** Every member of a group, through the list's keyset pages. */
async function allPages(key: GroupKey, query: Record<string, string>) {
  const seen: Awaited<ReturnType<typeof segmentCustomers>>["customers"] = [];
  let after: string | undefined;
  for (let i = 0; i < 100; i++) {
    const page = await segmentCustomers(db, SHOP, key, CustomerListQuery.parse({ ...query, after }), 7);
    seen.push(...page.customers);
    if (!page.next) return seen;
    after = page.next;
  }
  throw new Error("paging did not end");
}

const profiles = async () =>
  new Map((await db.customer.findMany({ where: { shop: SHOP } })).map((c) => [String(c.id), c]));

describe("consent: SUBSCRIBED only, one rule in TypeScript and SQL", () => {
  it("GIVEN every email and SMS state, none, and a state in the wrong case THEN the SQL fragment answers as acceptsMarketing", async () => {
    const states = [...new Set([...EMAIL_MARKETING_STATES, ...SMS_MARKETING_STATES])];
    for (const state of [...states, null, "subscribed", ""]) {
      const [row] = await db.$queryRawUnsafe<{ ok: boolean }[]>(
        `SELECT ${acceptsMarketingSql("v.state")} AS ok FROM (SELECT $1::text AS state) v`,
        state,
      );
      expect({ state, ok: row?.ok }).toEqual({ state, ok: acceptsMarketing(state) });
    }
    expect(states.filter((s) => acceptsMarketing(s))).toEqual(["SUBSCRIBED"]);
  });

  it("GIVEN customers in every consent state WHEN the run's summary is read THEN each group counts exactly its SUBSCRIBED members, per channel", async () => {
    const run = await latestFullRun(db, SHOP);
    const consent = RunSummary.parse(run?.summary).consent;
    expect(consent).toBeDefined();
    const byId = await profiles();
    const scores = await db.customerScore.findMany({ where: { shop: SHOP } });
    const expected = (members: typeof scores) => ({
      email: members.filter((s) => acceptsMarketing(byId.get(String(s.customerId))?.emailMarketingState)).length,
      sms: members.filter((s) => acceptsMarketing(byId.get(String(s.customerId))?.smsMarketingState)).length,
    });
    // Every scored customer is in one segment: the segments add up to everyone subscribed.
    const sum = (channel: "email" | "sms") =>
      Object.values(consent?.segments ?? {}).reduce((n, c) => n + c[channel], 0);
    expect({ email: sum("email"), sms: sum("sms") }).toEqual(expected(scores));
    // Not a count of everyone: some scored customers are not subscribed on each channel.
    expect(sum("email")).toBeGreaterThan(0);
    expect(sum("email")).toBeLessThan(scores.length);
    expect(sum("sms")).toBeGreaterThan(0);
    for (const segment of new Set(scores.map((s) => s.segment)))
      expect(consent?.segments[segment]).toEqual(expected(scores.filter((s) => s.segment === segment)));
    for (const behaviour of new Set(scores.flatMap((s) => s.behaviours)))
      expect(consent?.behaviours[behaviour]).toEqual(expected(scores.filter((s) => s.behaviours.includes(behaviour))));
  });

  it("GIVEN the segment page THEN it shows the group's subscribed counts and shares", async () => {
    const biggest = await db.customerScore.groupBy({
      by: ["segment"],
      where: { shop: SHOP },
      _count: true,
      orderBy: { _count: { segment: "desc" } },
      take: 1,
    });
    const key = biggest[0]?.segment as GroupKey;
    const page = await loadSegmentPage(db, SHOP, request(`/app/segments/${key}`), key);
    const members = await db.customerScore.findMany({ where: { shop: SHOP, segment: key } });
    const byId = await profiles();
    const email = members.filter((s) => acceptsMarketing(byId.get(String(s.customerId))?.emailMarketingState)).length;
    const sms = members.filter((s) => acceptsMarketing(byId.get(String(s.customerId))?.smsMarketingState)).length;
    expect(page.consent).toEqual({ email, sms, emailShare: email / members.length, smsShare: sms / members.length });
  });
});

describe("the segment's customer list", () => {
  it("GIVEN subscribed-only for email, then SMS THEN the pages hold exactly the members who may be mailed / texted, in the list's order", async () => {
    const scores = await db.customerScore.findMany({ where: { shop: SHOP } });
    const byId = await profiles();
    const segments = [...new Set(scores.map((s) => s.segment))];
    let nonEmpty = 0;
    for (const key of segments as GroupKey[]) {
      const members = scores.filter((s) => s.segment === key).map((s) => String(s.customerId));
      const all = await allPages(key, {});
      expect(all.map((c) => c.customerId).sort()).toEqual([...members].sort());
      for (const channel of ["email", "sms"] as const) {
        const column = channel === "email" ? "emailMarketingState" : "smsMarketingState";
        const subscribed = await allPages(key, { subscribed: channel });
        const expected = members.filter((id) => acceptsMarketing(byId.get(id)?.[column]));
        expect(subscribed.map((c) => c.customerId).sort()).toEqual([...expected].sort());
        // The filtered list keeps the unfiltered order (net spend, highest first).
        expect(subscribed.map((c) => c.customerId)).toEqual(
          all.map((c) => c.customerId).filter((id) => expected.includes(id)),
        );
        expect(subscribed.every((c) => (channel === "email" ? c.acceptsEmail : c.acceptsSms))).toBe(true);
        if (expected.length > 0) nonEmpty++;
      }
    }
    expect(nonEmpty).toBeGreaterThan(1);
  });

  it("GIVEN an unknown filter value THEN the list is unfiltered", () => {
    expect(CustomerListQuery.parse({ subscribed: "everyone" }).subscribed).toBeUndefined();
    expect(CustomerListQuery.parse({ subscribed: "sms" }).subscribed).toBe("sms");
  });

  it("GIVEN customers with and without names THEN the list carries the profile's name and email, null where Shopify has none", async () => {
    const scores = await db.customerScore.findMany({ where: { shop: SHOP } });
    const byId = await profiles();
    const listed = (
      await Promise.all([...new Set(scores.map((s) => s.segment))].map((k) => allPages(k as GroupKey, {})))
    ).flat();
    expect(listed).toHaveLength(scores.length);
    for (const c of listed) {
      const p = byId.get(c.customerId);
      expect(c.name).toBe(customerName(p?.firstName, p?.lastName));
      expect(c.email).toBe(p?.email ?? null);
    }
    const named = listed.find((c) => c.customerId === "7");
    expect(named?.name).toBe("Daan Tester7");
    expect(listed.find((c) => c.customerId === "5")?.name).toBe("Tester5");
    for (const id of [...NAMELESS, NO_PROFILE].map(String)) {
      const c = listed.find((x) => x.customerId === id);
      expect(c).toMatchObject({ name: null, email: null });
    }
  });

  it("GIVEN the CSV export THEN every member's name, email and consent are in their columns", async () => {
    const key = (await db.customerScore.findFirstOrThrow({ where: { shop: SHOP, customerId: 7n } })).segment;
    const headers = MESSAGES.en.segment.csv;
    const labels = { headers, prediction: MESSAGES.en.customer.prediction, name: (k: string) => k };
    const format = { dialect: CSV_COMMA, labels, predictions: false };
    const text = await new Response(segmentCsv(db, SHOP, key as GroupKey, format, 5)).text();
    const lines = text
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    const header = (lines[0] ?? "").split(",");
    const col = (name: string) => header.indexOf(name);
    const byId = await profiles();
    const rows = lines.slice(1).map((l) => l.split(","));
    expect(rows).toHaveLength(await db.customerScore.count({ where: { shop: SHOP, segment: key } }));
    for (const row of rows) {
      const p = byId.get(row[col(headers.customerId)] ?? "");
      expect(row[col(headers.email)]).toBe(p?.email ?? "");
      expect(row[col(headers.firstName)]).toBe(p?.firstName ?? "");
      expect(row[col(headers.lastName)]).toBe(p?.lastName ?? "");
      expect(row[col(headers.acceptsEmail)]).toBe(acceptsMarketing(p?.emailMarketingState) ? "yes" : "no");
      expect(row[col(headers.acceptsSms)]).toBe(acceptsMarketing(p?.smsMarketingState) ? "yes" : "no");
    }
    expect(rows.find((r) => r[0] === "7")?.[col(headers.firstName)]).toBe("Daan");
  });

  it("GIVEN the list filtered to subscribers WHEN the merchant exports THEN the file holds exactly the listed customers, email and SMS", async () => {
    const key = (await db.customerScore.findFirstOrThrow({ where: { shop: SHOP, customerId: 7n } })).segment;
    const headers = MESSAGES.en.segment.csv;
    const members = await db.customerScore.findMany({ where: { shop: SHOP, segment: key } });
    const byId = await profiles();
    for (const channel of ["email", "sms"] as const) {
      const response = await segmentCsvExport(
        db,
        SHOP,
        new Request(`https://app.example/app/export/${key}?locale=en&subscribed=${channel}`),
        key,
      );
      expect(response.headers.get("Content-Disposition")).toMatch(
        new RegExp(`filename="rfm-${key}-${channel}-subscribed-\\d{4}-\\d{2}-\\d{2}\\.csv"`),
      );
      const lines = (await response.text())
        .replace(/^\uFEFF/, "")
        .trimEnd()
        .split("\r\n");
      const header = (lines[0] ?? "").split(",");
      const ids = lines.slice(1).map((l) => l.split(",")[header.indexOf(headers.customerId)]);
      const state = (id: bigint) =>
        channel === "email" ? byId.get(String(id))?.emailMarketingState : byId.get(String(id))?.smsMarketingState;
      const want = members.filter((m) => acceptsMarketing(state(m.customerId))).map((m) => String(m.customerId));
      expect(want.length).toBeGreaterThan(0);
      expect(want.length).toBeLessThan(members.length);
      expect(ids.sort()).toEqual(want.sort());
      // The same customers the page lists with the filter on.
      const listed = await segmentCustomers(
        db,
        SHOP,
        key as GroupKey,
        CustomerListQuery.parse({ subscribed: channel }),
        500,
      );
      expect(listed.customers.map((c) => c.customerId).sort()).toEqual(want.sort());
    }
  });
});

describe("names, the no-name fallback and Shopify's redaction", () => {
  it("GIVEN no name in Shopify THEN the label is 'Customer without name' (Dutch: 'Klant zonder naam'), never the id", () => {
    expect(customerLabel("Anna Tester1", false, MESSAGES.en.common)).toBe("Anna Tester1");
    expect(customerLabel(null, false, MESSAGES.en.common)).toBe("Customer without name");
    expect(customerLabel(null, false, MESSAGES.nl.common)).toBe("Klant zonder naam");
    expect(customerLabel(null, true, MESSAGES.en.common)).toBe("Name withheld by Shopify");
    expect(customerLabel(null, true, MESSAGES.nl.common)).toBe("Naam afgeschermd door Shopify");
    expect(customerName("  ", null)).toBeNull();
    expect(customerName(null, "Bakker")).toBe("Bakker");
  });

  it("GIVEN full access THEN no page flags names as withheld; GIVEN names and emails redacted THEN every page that lists customers says so", async () => {
    const key = (await db.customerScore.findFirstOrThrow({ where: { shop: SHOP, customerId: 7n } })).segment;
    const pages = async () => [
      (await loadSegmentPage(db, SHOP, request(`/app/segments/${key}`), key)).customerData,
      (await loadCustomerPage(db, SHOP, request("/app/customers/7"), "7")).customerData,
      (await loadBrowsersPage(db, SHOP)).customerData,
      (await loadDataRequestsPage(db, SHOP)).customerData,
    ];
    await db.shop.update({ where: { shop: SHOP }, data: { customerDataAccess: "full", customerDataRedacted: [] } });
    for (const notice of await pages()) {
      expect(isWithheld(notice, "name")).toBe(false);
      expect(isWithheld(notice, "email")).toBe(false);
    }
    await db.shop.update({
      where: { shop: SHOP },
      data: { customerDataAccess: "redacted", customerDataRedacted: ["name", "email"] },
    });
    for (const notice of await pages()) {
      expect(notice).toEqual({ access: "redacted", redacted: ["name", "email"] });
      expect(isWithheld(notice, "name")).toBe(true);
      expect(isWithheld(notice, "phone")).toBe(false);
    }
    await db.shop.update({ where: { shop: SHOP }, data: { customerDataAccess: "denied", customerDataRedacted: [] } });
    for (const notice of await pages()) expect(isWithheld(notice, "email")).toBe(true);
    await db.shop.update({ where: { shop: SHOP }, data: { customerDataAccess: null, customerDataRedacted: [] } });
  });

  it("GIVEN a named and a nameless customer THEN the customer page and the admin block carry the profile's name and email", async () => {
    const named = await loadCustomerPage(db, SHOP, request("/app/customers/7"), "7");
    expect({ name: named.name, email: named.email }).toEqual({ name: "Daan Tester7", email: "klant7@example.nl" });
    const nameless = await loadCustomerPage(db, SHOP, request("/app/customers/1"), "1");
    expect({ name: nameless.name, email: nameless.email }).toEqual({ name: null, email: null });
    const block = await customerBlock(db, SHOP, 7n, "nl");
    expect(block).toMatchObject({ name: "Daan Tester7", email: "klant7@example.nl", language: "nl" });
    expect(await customerBlock(db, SHOP, 1n, "en")).toMatchObject({ name: null, email: null });
  });
});

describe("the customer page", () => {
  it("GIVEN a customer's orders THEN the list holds them newest first with name, total, refund, codes and the Shopify admin link; test and deleted orders left out", async () => {
    const page = await loadCustomerPage(db, SHOP, request("/app/customers/10"), "10");
    const stored = await db.order.findMany({
      where: { shop: SHOP, customerId: 10n, test: false, deletedAt: null },
      orderBy: [{ processedAt: "desc" }, { id: "desc" }],
    });
    expect(stored.length).toBeGreaterThan(1);
    expect(page.orders.total).toBe(stored.length);
    expect(page.orders.list).toEqual(
      stored.map((o) => ({
        id: String(o.id),
        name: o.name,
        processedAt: o.processedAt.toISOString(),
        total: o.totalPrice.toString(),
        refunded: o.totalRefunded.toString(),
        discountCodes: o.discountCodes,
        cancelled: o.cancelledAt !== null,
        adminUrl: `https://admin.shopify.com/store/people-data/orders/${o.id}`,
      })),
    );
    // The cancelled order is listed and flagged; a refund and a discount code show on their orders.
    expect(page.orders.list[0]).toMatchObject({ cancelled: true, discountCodes: ["SORRY"] });
    expect(page.orders.list.some((o) => Number(o.refunded) === 7.5)).toBe(true);
    expect(page.orders.list.some((o) => o.discountCodes.includes("WELCOME10"))).toBe(true);
  });

  it("GIVEN the top spender THEN only the highest VIP tier shows (top 1 %), though the stored behaviours nest all three", async () => {
    const stored = await db.customerScore.findUniqueOrThrow({
      where: { shop_customerId: { shop: SHOP, customerId: BigInt(WHALE) } },
    });
    expect(stored.behaviours).toEqual(expect.arrayContaining(["vip_top_1", "vip_top_5", "vip_top_20"]));
    const page = await loadCustomerPage(db, SHOP, request(`/app/customers/${WHALE}`), String(WHALE));
    const keys = page.score?.behaviours.map((b) => b.key) ?? [];
    expect(keys.filter((k) => k.startsWith("vip_"))).toEqual(["vip_top_1"]);
    expect(keys).toEqual(collapseVipTiers(stored.behaviours));
    // Behaviours and the segment are apart: the segment is not among the behaviours.
    expect(keys).not.toContain(page.score?.segment.key);
    const block = await customerBlock(db, SHOP, BigInt(WHALE), "en");
    expect(block?.score?.behaviours.map((b) => b.key).filter((k) => k.startsWith("vip_"))).toEqual(["vip_top_1"]);
  });

  it("GIVEN nested tiers in any order THEN collapseVipTiers keeps the highest and every other behaviour", () => {
    expect(collapseVipTiers(["vip_top_20", "coupon_shopper", "vip_top_5"])).toEqual(["coupon_shopper", "vip_top_5"]);
    expect(collapseVipTiers(["vip_top_5", "vip_top_1", "vip_top_20"])).toEqual(["vip_top_1"]);
    expect(collapseVipTiers(["vip_top_20"])).toEqual(["vip_top_20"]);
    expect(collapseVipTiers(["brand_loyal"])).toEqual(["brand_loyal"]);
  });

  it("GIVEN a history reconstructed 30 days back THEN a since date on its first day says so, a later one is a recorded change", async () => {
    const historyStart = isoDay(epochDay(AS_OF) - 30);
    const scores = await db.customerScore.findMany({ where: { shop: SHOP } });
    const iso = (d: Date) => d.toISOString().slice(0, 10);
    const atStart = scores.find((s) => iso(s.segmentSince) === historyStart);
    const later = scores.find((s) => iso(s.segmentSince) > historyStart);
    expect(atStart && later).toBeTruthy();
    for (const [score, kind] of [
      [atStart, "reconstructed"],
      [later, "recorded"],
    ] as const) {
      const id = String(score?.customerId);
      const page = await loadCustomerPage(db, SHOP, request(`/app/customers/${id}`), id);
      expect(page.historyStart).toEqual({ date: historyStart, reconstructed: true });
      expect(page.score?.segment).toMatchObject({ since: iso(score?.segmentSince ?? new Date(0)), sinceKind: kind });
      const open = page.history.find((h) => h.kind === "rfm" && h.to === null);
      expect(open?.fromKind).toBe(kind);
      for (const b of page.score?.behaviours ?? []) expect(b.sinceKind).toBe(sinceOf(b.since, page.historyStart).kind);
    }
  });

  it("GIVEN a history that starts with a full run, or none THEN the first day is 'history start' and nothing is labelled without a history", () => {
    const start = { date: "2026-10-01", reconstructed: false };
    expect(sinceOf("2026-10-01", start).kind).toBe("historyStart");
    expect(sinceOf("2026-09-01", start).kind).toBe("historyStart");
    expect(sinceOf("2026-10-02", start).kind).toBe("recorded");
    expect(sinceOf("2026-10-01", { ...start, reconstructed: true }).kind).toBe("reconstructed");
    expect(sinceOf("2026-10-01", null).kind).toBe("recorded");
  });
});
