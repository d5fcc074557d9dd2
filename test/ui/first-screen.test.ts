import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { recomputeShopAggregates } from "../../app/pipeline/aggregate/aggregates.server";
import { latestFullRun, reconstructHistory, runFullScoring } from "../../app/pipeline/score/scoring.server";
import { RfmSettings } from "../../app/domain/rfm/settings";
import { saveRfmSettings } from "../../app/settings/settings.server";
import { RunSummary } from "../../app/pipeline/score/run-shapes";
import { sizeDates } from "../../app/pipeline/score/run-summary.server";
import { loadDashboard } from "../../app/pages/dashboard/dashboard.server";
import { resolveLocale } from "../../app/i18n/locale.server";
import { CustomerListQuery, segmentCustomers, type GroupKey } from "../../app/pages/segment/segment-page.server";
import { acceptsMarketing, EMAIL_MARKETING_STATES, SMS_MARKETING_STATES } from "../../app/domain/consent";
import { AT_RISK_SEGMENTS, BEST_SEGMENTS, moveDirection } from "../../app/domain/rfm/first-screen";
import { epochDay, isoDay } from "../../app/domain/rfm/dates";
import { Random } from "../emulator/random";

/**
 * The dashboard's first screen on a seeded shop in the real database: the
 * headline figures, the weekly trend, the consent columns and the grid's
 * links against what the stored scores and customers say.
 */

const db = createDb(process.env.DATABASE_URL as string, 4);
const SHOP = "first-screen.myshopify.com";
const AS_OF = "2026-11-20";
const D0 = isoDay(epochDay(AS_OF) - 35);
const D1 = isoDay(epochDay(AS_OF) - 14);
const CUSTOMERS = 360;

// Every consent state of both channels, plus no state, a lower-case one, and a deleted subscribed customer.
const EMAIL_STATES: (string | null)[] = [...EMAIL_MARKETING_STATES, null, "subscribed"];
const SMS_STATES: (string | null)[] = [...SMS_MARKETING_STATES, null, "subscribed"];

type Snapshot = { segment: Map<string, string>; behaviours: Map<string, string[]> };
const snapshots: Snapshot[] = [];
const snapshot = async (): Promise<Snapshot> => {
  const rows = await db.customerScore.findMany({ where: { shop: SHOP } });
  return {
    segment: new Map(rows.map((s) => [String(s.customerId), s.segment])),
    behaviours: new Map(rows.map((s) => [String(s.customerId), s.behaviours])),
  };
};
const countIn = (s: Snapshot | undefined, key: string, kind: "segment" | "behaviours") =>
  s === undefined
    ? 0
    : kind === "segment"
      ? [...s.segment.values()].filter((x) => x === key).length
      : [...s.behaviours.values()].filter((x) => x.includes(key)).length;

beforeAll(async () => {
  const rng = new Random(15);
  await db.shop.create({ data: { shop: SHOP, ianaTimezone: "Europe/Amsterdam", currencyCode: "EUR" } });
  const end = Date.parse(`${AS_OF}T12:00:00Z`);
  const orders: { id: bigint; customerId: bigint; at: Date; total: string }[] = [];
  let id = 1n;
  for (let c = 1; c <= CUSTOMERS; c++) {
    // Most customers order once (as in most shops): the tie-aware F ranks skip F 2.
    const n = rng.next() < 0.55 ? 1 : 1 + Math.floor(rng.next() ** 2 * 10);
    for (let k = 0; k < n; k++)
      orders.push({
        id: id++,
        customerId: BigInt(c),
        at: new Date(end - Math.floor(rng.next() * 500) * 86_400_000),
        total: (5 + Math.floor(rng.next() ** 3 * 400)).toFixed(2),
      });
  }
  await db.order.createMany({
    data: orders.map((o) => ({
      shop: SHOP,
      id: o.id,
      customerId: o.customerId,
      createdAt: o.at,
      processedAt: o.at,
      shopifyUpdatedAt: o.at,
      currency: "EUR",
      totalPrice: o.total,
      currentTotalPrice: o.total,
      totalRefunded: "0",
      discountCodes: [],
    })),
  });
  // Customer 1 has no profile row at all; the last one is deleted in Shopify (still subscribed in the row).
  await db.customer.createMany({
    data: Array.from({ length: CUSTOMERS - 1 }, (_, i) => ({
      shop: SHOP,
      id: BigInt(i + 2),
      firstName: `Klant${i + 2}`,
      email: `klant${i + 2}@example.nl`,
      emailMarketingState: EMAIL_STATES[i % EMAIL_STATES.length] ?? null,
      smsMarketingState: SMS_STATES[Math.floor(i / 2) % SMS_STATES.length] ?? null,
      shopifyUpdatedAt: new Date(end),
      deletedAt: i + 2 === CUSTOMERS ? new Date(end) : null,
    })),
  });
  await db.customer.update({
    where: { shop_id: { shop: SHOP, id: BigInt(CUSTOMERS) } },
    data: { emailMarketingState: "SUBSCRIBED", smsMarketingState: "SUBSCRIBED" },
  });
  await recomputeShopAggregates(db, SHOP, new Date(`${AS_OF}T23:00:00Z`));
  await saveRfmSettings(db, SHOP, { windowMonths: 12 });
  // Three runs: 35 and 14 days ago and today; nobody is re-scored in between, so each date's segments are a run's.
  for (const asOf of [D0, D1, AS_OF]) {
    await runFullScoring(db, SHOP, { asOf });
    snapshots.push(await snapshot());
  }
}, 90_000);

afterAll(async () => {
  await db.$disconnect();
});

describe("the headline figures", () => {
  it("GIVEN the scored shop THEN customers scored, revenue of Champions + Loyal, revenue at risk (At risk + Can't lose + About to sleep) and customers moved down match the stored scores", async () => {
    const d = await loadDashboard(db, SHOP, "en", new Date(`${AS_OF}T12:00:00Z`));
    const scores = await db.customerScore.findMany({ where: { shop: SHOP } });
    const spendOf = (keys: readonly string[]) =>
      scores.filter((s) => keys.includes(s.segment)).reduce((n, s) => n + Number(s.monetary), 0);
    expect(d.headline?.customers).toBe(scores.length);
    expect(Number(d.headline?.bestRevenue)).toBeCloseTo(spendOf(["champions", "loyal"]), 2);
    expect(Number(d.headline?.atRiskRevenue)).toBeCloseTo(spendOf(["at_risk", "cant_lose", "about_to_sleep"]), 2);
    expect(spendOf(AT_RISK_SEGMENTS)).toBeGreaterThan(0);
    expect([...BEST_SEGMENTS]).toEqual(["champions", "loyal"]);
    expect(d.headlineNames).toEqual({ best: ["Champions", "Loyal customers"], atRisk: expect.any(Array) });

    // The primary action: win back the slipping segment with the most net spend, linked to its page.
    const slipping = AT_RISK_SEGMENTS.filter((k) => scores.some((s) => s.segment === k)).sort(
      (a, b) => spendOf([b]) - spendOf([a]),
    )[0];
    expect(d.nextAction).toMatchObject({ kind: "win_back", segment: slipping, url: `/app/segments/${slipping}` });
    expect(Number(d.nextAction?.revenue)).toBeCloseTo(spendOf([slipping ?? ""]), 2);

    // Moved down: now in a lower segment than on the movement start date (the first run's segments).
    const [before, , now] = snapshots;
    let down = 0;
    for (const [cid, segment] of now?.segment ?? [])
      if (moveDirection(before?.segment.get(cid) ?? null, segment) === "down") down++;
    expect(d.historyCoversMovement).toBe(true);
    expect(down).toBeGreaterThan(0);
    expect(d.headline?.movedDown).toBe(down);
  });
});

describe("the segment trend and the behaviours' change", () => {
  it("GIVEN runs 35 and 14 days ago THEN each row's weekly points are the sizes on those weeks, from the history's start, the run's date last", async () => {
    const d = await loadDashboard(db, SHOP, "en", new Date(`${AS_OF}T12:00:00Z`));
    const movementFrom = isoDay(epochDay(AS_OF) - 30);
    const weeks = sizeDates(AS_OF).filter((x) => x >= D0 && x !== movementFrom);
    expect(weeks).toEqual([-35, -28, -21, -14, -7].map((n) => isoDay(epochDay(AS_OF) + n)));
    const on = (date: string) => (date < D1 ? snapshots[0] : snapshots[1]);
    for (const row of d.segments) {
      expect(row.trend).toEqual([
        ...weeks.map((date) => ({ date, customers: countIn(on(date), row.key, "segment") })),
        { date: AS_OF, customers: row.customers },
      ]);
    }
    expect(d.segments.some((r) => new Set(r.trend.map((p) => p.customers)).size > 1)).toBe(true);
    expect(d.behaviours.length).toBeGreaterThan(0);
    for (const row of d.behaviours) {
      expect(row.trend.map((p) => p.customers)).toEqual([
        ...weeks.map((date) => countIn(on(date), row.key, "behaviours")),
        row.customers,
      ]);
      // Behaviours get their change column: now minus 30 days ago (the first run's members).
      expect(row.change).toBe(row.customers - countIn(snapshots[0], row.key, "behaviours"));
    }
  });
});

describe("consent per segment", () => {
  it("GIVEN every email and SMS consent state THEN the counts are the customers acceptsMarketing says yes for (SUBSCRIBED only; no profile or deleted: no)", async () => {
    const run = await latestFullRun(db, SHOP);
    const summary = RunSummary.parse(run?.summary);
    const scores = await db.customerScore.findMany({ where: { shop: SHOP } });
    const profiles = new Map(
      (await db.customer.findMany({ where: { shop: SHOP } })).map((c) => [String(c.id), c] as const),
    );
    // Every state is present among the scored customers (each one a case of the rule).
    const seen = (pick: (c: { emailMarketingState: string | null; smsMarketingState: string | null }) => unknown) =>
      new Set(scores.map((s) => profiles.get(String(s.customerId))).flatMap((c) => (c ? [pick(c)] : [])));
    for (const state of EMAIL_STATES) expect(seen((c) => c.emailMarketingState)).toContain(state);
    for (const state of SMS_STATES) expect(seen((c) => c.smsMarketingState)).toContain(state);

    const expected = (members: typeof scores) => {
      const may = (
        pick: (c: { emailMarketingState: string | null; smsMarketingState: string | null }) => string | null,
      ) =>
        members.filter((s) => {
          const c = profiles.get(String(s.customerId));
          return c !== undefined && c.deletedAt === null && acceptsMarketing(pick(c));
        }).length;
      return { email: may((c) => c.emailMarketingState), sms: may((c) => c.smsMarketingState) };
    };
    const d = await loadDashboard(db, SHOP, "en", new Date(`${AS_OF}T12:00:00Z`));
    let email = 0;
    for (const row of d.segments) {
      const want = expected(scores.filter((s) => s.segment === row.key));
      expect(row.consent).toEqual(want);
      expect(summary.consent?.segments[row.key] ?? { email: 0, sms: 0 }).toEqual(want);
      email += want.email;
    }
    for (const row of d.behaviours)
      expect(row.consent).toEqual(expected(scores.filter((s) => s.behaviours.includes(row.key))));
    expect(email).toBeGreaterThan(0);
    expect(email).toBeLessThan(scores.length);
  });
});

describe("the R × F grid", () => {
  it("GIVEN a cell THEN its link opens exactly that cell's customers of its main segment, and the cell lists its segments", async () => {
    const d = await loadDashboard(db, SHOP, "en", new Date(`${AS_OF}T12:00:00Z`));
    const scores = await db.customerScore.findMany({ where: { shop: SHOP } });
    expect(d.grid.reduce((n, c) => n + c.customers, 0)).toBe(scores.length);
    for (const cell of d.grid) {
      const url = new URL(cell.url, "https://app.test");
      expect(url.pathname).toBe(`/app/segments/${cell.segment}`);
      const query = CustomerListQuery.parse(Object.fromEntries(url.searchParams));
      expect([query.r, query.f]).toEqual([cell.r, cell.f]);
      const page = await segmentCustomers(db, SHOP, cell.segment as GroupKey, query, 1_000);
      const members = scores.filter((s) => s.segment === cell.segment && s.r === cell.r && s.f === cell.f);
      expect(page.customers.map((c) => c.customerId).sort()).toEqual(members.map((s) => String(s.customerId)).sort());
      expect(cell.segments.reduce((n, s) => n + s.customers, 0)).toBe(cell.customers);
      expect(cell.segments[0]?.segment).toBe(cell.segment);
      expect(cell.segments[0]?.customers).toBe(members.length);
    }
  });

  it("GIVEN most customers ordered once THEN the empty F column is explained with that share, and fixed thresholds leave no explanation", async () => {
    const d = await loadDashboard(db, SHOP, "en", new Date(`${AS_OF}T12:00:00Z`));
    const scores = await db.customerScore.findMany({ where: { shop: SHOP } });
    const lowest = Math.min(...scores.map((s) => s.frequency));
    const share = scores.filter((s) => s.frequency === lowest).length / scores.length;
    expect(share).toBeGreaterThanOrEqual(0.4);
    expect(d.emptyFrequency).toEqual({ scores: expect.arrayContaining([2]), orders: lowest, share });
    expect(d.grid.some((c) => c.f === 2)).toBe(false);
  });
});

describe("an older stored summary", () => {
  it("GIVEN a summary stored before trends, consent and cell splits THEN the dashboard still reads it (one point, no consent, the main segment as the cell's only one)", async () => {
    const run = await latestFullRun(db, SHOP);
    const current = RunSummary.parse(run?.summary);
    const { sizes: _sizes, consent: _consent, ...old } = current;
    const oldGrid = old.grid.map(({ segments: _segments, ...c }) => c);
    await db.scoringRun.update({
      where: { shop_id: { shop: SHOP, id: run?.id ?? 0n } },
      data: { summary: JSON.parse(JSON.stringify({ ...old, grid: oldGrid })) },
    });
    try {
      const d = await loadDashboard(db, SHOP, "en", new Date(`${AS_OF}T12:00:00Z`));
      expect(d.run).not.toBeNull();
      for (const row of d.segments) {
        expect(row.trend).toEqual([{ date: AS_OF, customers: row.customers }]);
        expect(row.consent).toBeNull();
      }
      expect(d.behaviours.every((r) => r.change === null)).toBe(true);
      for (const cell of d.grid)
        expect(cell.segments).toEqual([{ segment: cell.segment, name: cell.name, customers: cell.customers }]);
    } finally {
      await db.scoringRun.update({
        where: { shop_id: { shop: SHOP, id: run?.id ?? 0n } },
        data: { summary: JSON.parse(JSON.stringify(current)) },
      });
    }
  });
});

describe("the F mode a new install starts with", () => {
  // n customers, the first `once` of them with one order, the others with 2–6 orders.
  const seedShop = async (shop: string, n: number, once: number) => {
    await db.shop.create({ data: { shop, ianaTimezone: "Europe/Amsterdam", currencyCode: "EUR" } });
    const end = Date.parse(`${AS_OF}T12:00:00Z`);
    const data = [];
    let id = 1n;
    for (let c = 1; c <= n; c++)
      for (let k = 0; k < (c <= once ? 1 : 2 + (c % 5)); k++) {
        const at = new Date(end - (id % 300n === 0n ? 1 : Number(id % 300n)) * 86_400_000);
        data.push({
          shop,
          id: id++,
          customerId: BigInt(c),
          createdAt: at,
          processedAt: at,
          shopifyUpdatedAt: at,
          currency: "EUR",
          totalPrice: "25.00",
          currentTotalPrice: "25.00",
          totalRefunded: "0",
          discountCodes: [],
        });
      }
    await db.order.createMany({ data });
    await recomputeShopAggregates(db, shop, new Date(`${AS_OF}T23:00:00Z`));
  };
  const now = new Date(`${AS_OF}T12:00:00Z`);

  it("GIVEN 45 % of customers with one order and no saved settings WHEN the first run starts THEN the shop is scored by fixed thresholds, stored as its setting, and no F column is empty", async () => {
    const shop = "first-mode-thresholds.myshopify.com";
    await seedShop(shop, 100, 45);
    await reconstructHistory(db, shop, now);
    const stored = await db.shopSettings.findUnique({ where: { shop } });
    expect(RfmSettings.parse(stored?.rfm).frequencyMode).toBe("thresholds");
    const run = await db.scoringRun.findFirst({ where: { shop, kind: "reconstructed" } });
    expect(RfmSettings.parse(run?.settings).frequencyMode).toBe("thresholds");
    await runFullScoring(db, shop, { asOf: AS_OF });
    const d = await loadDashboard(db, shop, "en", now);
    expect(d.emptyFrequency).toBeNull();
    expect(new Set(d.grid.map((c) => c.f))).toContain(2);
  });

  it("GIVEN 45 % with one order WHEN the installing admin opens the app before the first run (the segment language is adopted) THEN the first run still uses fixed thresholds and the dashboard's first visit shows no empty F column", async () => {
    const shop = "first-mode-first-visit.myshopify.com";
    await seedShop(shop, 100, 45);
    // The very first dashboard visit, in Dutch, while the backfill runs: it stores the Shopify segment language.
    await resolveLocale(db, shop, new Request("https://app.example/app?locale=nl"));
    expect(RfmSettings.parse((await db.shopSettings.findUnique({ where: { shop } }))?.rfm).writeBack.language).toBe(
      "nl",
    );
    await reconstructHistory(db, shop, now);
    await runFullScoring(db, shop, { asOf: AS_OF });
    const stored = RfmSettings.parse((await db.shopSettings.findUnique({ where: { shop } }))?.rfm);
    expect(stored.frequencyMode).toBe("thresholds");
    expect(stored.writeBack.language).toBe("nl");
    const d = await loadDashboard(db, shop, "nl", now);
    expect(d.emptyFrequency).toBeNull();
    expect(new Set(d.grid.map((c) => c.f))).toContain(2);
  });

  it("GIVEN 35 % with one order THEN ranks stay and nothing is stored", async () => {
    const shop = "first-mode-rank.myshopify.com";
    await seedShop(shop, 100, 35);
    await reconstructHistory(db, shop, now);
    expect((await db.shopSettings.findUnique({ where: { shop } }))?.rfm ?? null).toBeNull();
    const run = await db.scoringRun.findFirst({ where: { shop, kind: "reconstructed" } });
    expect(RfmSettings.parse(run?.settings).frequencyMode).toBe("rank");
  });

  it("GIVEN 45 % with one order but settings the merchant saved THEN their rank mode stands", async () => {
    const shop = "first-mode-saved.myshopify.com";
    await seedShop(shop, 100, 45);
    await saveRfmSettings(db, shop, { frequencyMode: "rank" });
    await reconstructHistory(db, shop, now);
    const run = await db.scoringRun.findFirst({ where: { shop, kind: "reconstructed" } });
    expect(RfmSettings.parse(run?.settings).frequencyMode).toBe("rank");
  });
});
