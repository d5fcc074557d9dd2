import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { recomputeShopAggregates } from "../../app/pipeline/aggregate/aggregates.server";
import { runFullScoring, latestFullRun } from "../../app/pipeline/score/scoring.server";
import { saveRfmSettings, InvalidSettingsError } from "../../app/settings/settings.server";
import { PARETO_PERCENTS } from "../../app/pipeline/score/run-summary.server";
import { RunCutoffs, RunStats, RunSummary } from "../../app/pipeline/score/run-shapes";
import { loadDashboard } from "../../app/pages/dashboard/dashboard.server";
import {
  CustomerListQuery,
  segmentCustomers,
  SortKey,
  type GroupKey,
} from "../../app/pages/segment/segment-page.server";
import { BEHAVIOUR_KEYS } from "../../app/domain/rfm/behaviours";
import { segmentCsvExport } from "../../app/pages/segment/segment-view.server";
import { PRESETS } from "../../app/i18n/rfm/presets";
import type { SegmentKey } from "../../app/domain/rfm/segments";
import { readCsv } from "../support/csv";
import { saveSettings } from "../../app/settings/settings.server";
import { loadSettingsPage } from "../../app/pages/settings/settings-page.server";
import { epochDay, isoDay } from "../../app/domain/rfm/dates";
import { Random } from "../emulator/random";

/**
 * What the admin pages read: the per-run summary against figures computed
 * here from the stored scores, keyset pages against a plain ORDER BY, the CSV
 * against the segment, and settings that either save whole or not at all.
 */

const db = createDb(process.env.DATABASE_URL as string, 4);
const SHOP = "admin-data.myshopify.com";
const AS_OF = "2026-11-20";
const EARLIER = isoDay(epochDay(AS_OF) - 40);
/** Thrown to roll a test's transaction back. */
class Rollback extends Error {}

beforeAll(async () => {
  const rng = new Random(7);
  await db.shop.create({ data: { shop: SHOP, ianaTimezone: "Europe/Amsterdam", currencyCode: "EUR" } });
  const end = Date.parse(`${AS_OF}T12:00:00Z`);
  const orders: { id: bigint; customerId: bigint; at: Date; total: string }[] = [];
  let id = 1n;
  for (let c = 1; c <= 400; c++) {
    const n = rng.next() < 0.5 ? 1 : 1 + Math.floor(rng.next() ** 2 * 10);
    for (let k = 0; k < n; k++)
      orders.push({
        id: id++,
        customerId: BigInt(c),
        at: new Date(end - Math.floor(rng.next() * 700) * 86_400_000),
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
  const names = ["Anna", "Bram", "Daan", "Eva", "Finn"];
  await db.customer.createMany({
    data: Array.from({ length: 400 }, (_, i) => ({
      shop: SHOP,
      id: BigInt(i + 1),
      firstName: names[i % names.length],
      lastName: `Tester${i + 1}`,
      email: `klant${i + 1}@example.nl`,
      shopifyUpdatedAt: new Date(end),
    })),
  });
  await recomputeShopAggregates(db, SHOP, new Date(`${AS_OF}T23:00:00Z`));
  // A 12-month window scores as of a past date from the orders up to it: forty days of history.
  await saveRfmSettings(db, SHOP, { windowMonths: 12 });
}, 60_000);

afterAll(async () => {
  await db.$disconnect();
});

describe("the per-run summary the dashboard reads", () => {
  let before: Map<string, string>;
  let summary: RunSummary;

  it("GIVEN a run 40 days ago and one today WHEN the dashboard loads THEN segment figures, grid, Pareto and movement match the stored scores", async () => {
    await runFullScoring(db, SHOP, { asOf: EARLIER });
    before = new Map(
      (await db.customerScore.findMany({ where: { shop: SHOP } })).map((s) => [String(s.customerId), s.segment]),
    );
    await runFullScoring(db, SHOP, { asOf: AS_OF });
    const run = await latestFullRun(db, SHOP);
    // The stored JSON matches its schema exactly (the pages parse it).
    summary = RunSummary.parse(run?.summary);
    expect(RunCutoffs.parse(run?.cutoffs).m.length).toBeGreaterThan(0);
    expect(RunStats.parse(run?.stats).launchDays).toBeInstanceOf(Array);
    const scores = await db.customerScore.findMany({ where: { shop: SHOP } });

    // Per segment: customers, revenue, orders, median days since the last order.
    const bySegment = new Map<string, typeof scores>();
    for (const s of scores) bySegment.set(s.segment, [...(bySegment.get(s.segment) ?? []), s]);
    for (const [segment, members] of bySegment) {
      const figures = summary.segments[segment];
      expect(figures?.customers).toBe(members.length);
      expect(Number(figures?.revenue)).toBeCloseTo(
        members.reduce((n, s) => n + Number(s.monetary), 0),
        2,
      );
      expect(figures?.orders).toBe(members.reduce((n, s) => n + s.frequency, 0));
      const days = members
        .map((s) => epochDay(AS_OF) - epochDay(s.lastOrderDate.toISOString().slice(0, 10)))
        .sort((a, b) => a - b);
      const mid = days.length / 2;
      const median =
        days.length % 2 ? (days[Math.floor(mid)] as number) : ((days[mid - 1] as number) + (days[mid] as number)) / 2;
      expect(figures?.medianRecencyDays).toBeCloseTo(median, 6);
    }
    expect(summary.total.customers).toBe(scores.length);

    // Grid: every customer in exactly one R×F cell, labelled with that cell's biggest segment.
    expect(summary.grid.reduce((n, c) => n + c.customers, 0)).toBe(scores.length);
    for (const cell of summary.grid) {
      const members = scores.filter((s) => s.r === cell.r && s.f === cell.f);
      expect(cell.customers).toBe(members.length);
      const counts = new Map<string, number>();
      for (const m of members) counts.set(m.segment, (counts.get(m.segment) ?? 0) + 1);
      expect(counts.get(cell.segment)).toBe(Math.max(...counts.values()));
    }

    // Pareto: the top P % by spend (ties counted as the VIP tiers count them) over total spend.
    const spend = scores.map((s) => Number(s.monetary));
    const total = spend.reduce((a, b) => a + b, 0);
    for (const p of summary.pareto) {
      const top = spend
        .filter((v) => spend.filter((w) => w > v).length * 100 < p.percent * spend.length)
        .reduce((a, b) => a + b, 0);
      expect(p.share).toBeCloseTo(top / total, 6);
    }
    expect(summary.pareto.map((p) => p.percent)).toEqual([...PARETO_PERCENTS]);
    expect(summary.pareto.at(-1)?.share).toBeCloseTo(1, 9);

    // Movement over 30 days: nobody was re-scored between the two runs, so day −30 is the earlier run.
    expect(summary.movementFrom).toBe(isoDay(epochDay(AS_OF) - 30));
    const expected = new Map<string, number>();
    const now = new Map(scores.map((s) => [String(s.customerId), s.segment]));
    for (const cid of new Set([...before.keys(), ...now.keys()])) {
      const key = `${before.get(cid) ?? null}>${now.get(cid) ?? null}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    expect(new Map(summary.movement.map((m) => [`${m.from}>${m.to}`, m.customers]))).toEqual(expected);
    expect([...expected.keys()].some((k) => k.split(">")[0] !== k.split(">")[1])).toBe(true);
  });

  it("GIVEN that history THEN the overview's change column is now minus 30 days ago, in the admin's language", async () => {
    const dashboard = await loadDashboard(db, SHOP, "nl", new Date(`${AS_OF}T12:00:00Z`));
    expect(dashboard.historyCoversMovement).toBe(true);
    expect(dashboard.run?.asOf).toBe(AS_OF);
    for (const row of dashboard.segments) {
      const was = [...before.values()].filter((s) => s === row.key).length;
      expect(row.change).toBe(row.customers - was);
    }
    expect(dashboard.segments.find((r) => r.key === "champions")?.name).toBe("Topklanten");
    expect(dashboard.segments.reduce((n, r) => n + r.shareOfCustomers, 0)).toBeCloseTo(1, 9);
    expect(dashboard.grid.every((c) => typeof c.name === "string" && c.name.length > 0)).toBe(true);
  });
});

describe("a segment's customers, paged in the database", () => {
  const walk = async (key: GroupKey, query: Partial<CustomerListQuery>) => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let guard = 0; guard < 100; guard++) {
      const page = await segmentCustomers(db, SHOP, key, CustomerListQuery.parse({ ...query, after }), 7);
      seen.push(...page.customers.map((c) => c.customerId));
      if (!page.next) return seen;
      after = page.next;
    }
    throw new Error("pagination did not end");
  };

  it.each([
    ["spend", "desc", "monetary DESC"],
    ["spend", "asc", "monetary ASC"],
    ["recency", "desc", `"lastOrderDate" DESC`],
    ["orders", "asc", "frequency ASC"],
  ] as const)(
    "GIVEN sort %s %s WHEN following next to the end THEN every member appears once, in ORDER BY order",
    async (sort, dir, order) => {
      const segment = (
        await db.customerScore.groupBy({
          by: ["segment"],
          where: { shop: SHOP },
          _count: { _all: true },
          orderBy: { _count: { segment: "desc" } },
        })
      )[0]?.segment as GroupKey;
      const direction = dir === "desc" ? "DESC" : "ASC";
      const expected = await db.$queryRawUnsafe<{ id: bigint }[]>(
        `SELECT "customerId" AS id FROM "CustomerScore" WHERE shop = $1 AND segment = $2 ORDER BY ${order}, "customerId" ${direction}`,
        SHOP,
        segment,
      );
      expect(await walk(segment, { sort, dir })).toEqual(expected.map((r) => String(r.id)));
    },
  );

  it.each(["desc", "asc"] as const)(
    "GIVEN predictions for some members WHEN sorted by predicted value %s and paged to the end and back THEN exactly the SQL order, unpredicted last",
    async (dir) => {
      const members = await db.customerScore.findMany({
        where: { shop: SHOP, segment: "lost" },
        orderBy: { customerId: "asc" },
      });
      expect(members.length).toBeGreaterThan(20);
      // Every fourth member has no prediction row, every seventh a row without a value; values repeat (ties by id).
      const rows = members
        .filter((_, i) => i % 4 !== 0)
        .map((m, i) => ({
          shop: SHOP,
          customerId: m.customerId,
          runId: 1n,
          pAlive: 0.5,
          expectedOrders90: 0.1,
          expectedOrders365: 0.4,
          pOrder30: 0.05,
          pNoOrder90: 0.9,
          expectedAverageValue: i % 7 === 0 ? null : 40,
          predictedValue12m: i % 7 === 0 ? null : [12.5, 80.25, 12.5, 3.1, 150][i % 5],
        }));
      await db.customerPrediction.deleteMany({ where: { shop: SHOP } });
      await db.customerPrediction.createMany({ data: rows });
      const direction = dir === "desc" ? "DESC" : "ASC";
      const expected = await db.$queryRawUnsafe<{ id: bigint }[]>(
        `SELECT s."customerId" AS id FROM "CustomerScore" s
         LEFT JOIN "CustomerPrediction" p ON p.shop = s.shop AND p."customerId" = s."customerId"
         WHERE s.shop = $1 AND s.segment = 'lost'
         ORDER BY p."predictedValue12m" ${direction} NULLS LAST, (p."predictedValue12m" IS NULL), s."customerId" ${direction}`,
        SHOP,
      );
      const ids = expected.map((r) => String(r.id));
      const seen = await walk("lost", { sort: "predicted", dir });
      expect(seen).toEqual(ids);
      expect(new Set(seen).size).toBe(members.length);
      // Back from the last page to the first: the same pages in reverse.
      const pages: string[][] = [];
      let page = await segmentCustomers(db, SHOP, "lost", CustomerListQuery.parse({ sort: "predicted", dir }), 7);
      pages.push(page.customers.map((c) => c.customerId));
      while (page.next) {
        page = await segmentCustomers(
          db,
          SHOP,
          "lost",
          CustomerListQuery.parse({ sort: "predicted", dir, after: page.next }),
          7,
        );
        pages.push(page.customers.map((c) => c.customerId));
      }
      const back: string[][] = [page.customers.map((c) => c.customerId)];
      while (page.previous) {
        page = await segmentCustomers(
          db,
          SHOP,
          "lost",
          CustomerListQuery.parse({ sort: "predicted", dir, before: page.previous }),
          7,
        );
        back.unshift(page.customers.map((c) => c.customerId));
      }
      expect(back).toEqual(pages);
      const shown = (await segmentCustomers(db, SHOP, "lost", CustomerListQuery.parse({ sort: "predicted", dir }), 500))
        .customers;
      const byId = new Map(rows.map((r) => [String(r.customerId), r.predictedValue12m]));
      expect(shown.map((c) => c.predictedValue12m)).toEqual(shown.map((c) => byId.get(c.customerId) ?? null));
      await db.customerPrediction.deleteMany({ where: { shop: SHOP } });
    },
  );

  it("GIVEN page two WHEN going back THEN page one comes again; a search narrows to matching names and emails", async () => {
    const first = await segmentCustomers(db, SHOP, "lost", CustomerListQuery.parse({}), 5);
    const second = await segmentCustomers(db, SHOP, "lost", CustomerListQuery.parse({ after: first.next }), 5);
    expect(second.previous).not.toBeNull();
    const back = await segmentCustomers(db, SHOP, "lost", CustomerListQuery.parse({ before: second.previous }), 5);
    expect(back.customers.map((c) => c.customerId)).toEqual(first.customers.map((c) => c.customerId));
    expect(back.previous).toBeNull();

    const member = second.customers[0];
    const byEmail = await segmentCustomers(
      db,
      SHOP,
      "lost",
      CustomerListQuery.parse({ q: member?.email?.split("@")[0] }),
      50,
    );
    expect(byEmail.customers.map((c) => c.customerId)).toContain(member?.customerId);
    expect(byEmail.customers.every((c) => c.email?.includes(member?.email?.split("@")[0] ?? "?"))).toBe(true);
    // Several words: each must match the email, first or last name.
    const named = await db.customer.findUniqueOrThrow({
      where: { shop_id: { shop: SHOP, id: BigInt(member?.customerId ?? 0) } },
    });
    const byName = await segmentCustomers(
      db,
      SHOP,
      "lost",
      CustomerListQuery.parse({ q: `  ${named.firstName?.toLowerCase()}   ${named.lastName} ` }),
      50,
    );
    expect(byName.customers.map((c) => c.customerId)).toEqual([member?.customerId]);
    // LIKE wildcards are text, not patterns.
    expect((await segmentCustomers(db, SHOP, "lost", CustomerListQuery.parse({ q: "%" }), 50)).customers).toEqual([]);
    // Nonsense in the query string falls back to defaults instead of failing.
    expect(CustomerListQuery.parse({ sort: "DROP TABLE", dir: "sideways" })).toMatchObject({
      sort: "spend",
      dir: "desc",
    });
  });

  it("GIVEN a behavioural segment THEN its members are those holding the behaviour", async () => {
    const members = await db.customerScore.count({ where: { shop: SHOP, behaviours: { has: "vip_top_20" } } });
    expect(members).toBeGreaterThan(0);
    expect(await walk("vip_top_20", {})).toHaveLength(members);
  });

  it.each(["spend", "recency", "orders"] as const)(
    "GIVEN every behaviour, sorted by %s both ways THEN the pages hold exactly the customers whose stored behaviours include it, in ORDER BY order",
    async (sort) => {
      const order = { spend: "monetary", recency: `"lastOrderDate"`, orders: "frequency" }[sort];
      let checked = 0;
      for (const key of BEHAVIOUR_KEYS) {
        for (const dir of ["asc", "desc"] as const) {
          const direction = dir === "desc" ? "DESC" : "ASC";
          const expected = await db.$queryRawUnsafe<{ id: bigint }[]>(
            `SELECT "customerId" AS id FROM "CustomerScore" WHERE shop = $1 AND $2 = ANY(behaviours) ORDER BY ${order} ${direction}, "customerId" ${direction}`,
            SHOP,
            key,
          );
          expect(await walk(key, { sort, dir })).toEqual(expected.map((r) => String(r.id)));
          if (expected.length > 0) checked++;
        }
      }
      expect(checked).toBeGreaterThanOrEqual(2 * 3);
    },
  );

  it("GIVEN the schema THEN each sort the behaviour page offers has an index on the membership table (behaviour, sort value, id)", async () => {
    // On the shared default partition (an own partition has them without shop: test/rfm/score-partition.test.ts).
    const rows = await db.$queryRawUnsafe<{ indexdef: string }[]>(
      `SELECT indexdef FROM pg_indexes WHERE tablename = 'CustomerBehaviour_default'`,
    );
    const column = { spend: "monetary", recency: `"lastOrderDate"`, orders: "frequency" };
    // "predicted" sorts on CustomerPrediction, which no membership index can hold.
    const sorts = SortKey.options.filter((s) => s !== "predicted");
    for (const sort of sorts)
      expect(
        rows.some((r) => r.indexdef.includes(`(shop, behaviour, ${column[sort]}, "customerId")`)),
        sort,
      ).toBe(true);
  });

  it("GIVEN every writer of the scores THEN the membership table holds exactly the stored behaviours with their sort keys", async () => {
    const members = `SELECT behaviour, "customerId"::text AS id, monetary::text, "lastOrderDate"::text, frequency
      FROM "CustomerBehaviour" WHERE shop = $1 ORDER BY 1, 2`;
    const stored = `SELECT b AS behaviour, "customerId"::text AS id, monetary::text, "lastOrderDate"::text, frequency
      FROM "CustomerScore", unnest(behaviours) b WHERE shop = $1 ORDER BY 1, 2`;
    expect(await db.$queryRawUnsafe(members, SHOP)).toEqual(await db.$queryRawUnsafe(stored, SHOP));
    // An update that moves behaviours and a sort key, one that touches neither, and a delete, in one transaction.
    const [first, second, third] = await db.customerScore.findMany({
      where: { shop: SHOP },
      orderBy: { customerId: "asc" },
      take: 3,
    });
    if (!first || !second || !third) throw new Error("seed has fewer than three scores");
    await db
      .$transaction(async (tx) => {
        await tx.customerScore.update({
          where: { shop_customerId: { shop: SHOP, customerId: first.customerId } },
          data: { behaviours: ["vip_top_1", "coupon_shopper"], monetary: "123456.7800" },
        });
        await tx.customerScore.update({
          where: { shop_customerId: { shop: SHOP, customerId: second.customerId } },
          data: { candidateRuns: second.candidateRuns + 1 },
        });
        await tx.customerScore.delete({ where: { shop_customerId: { shop: SHOP, customerId: third.customerId } } });
        expect(await tx.$queryRawUnsafe(members, SHOP)).toEqual(await tx.$queryRawUnsafe(stored, SHOP));
        throw new Rollback();
      })
      .catch((e: unknown) => {
        if (!(e instanceof Rollback)) throw e;
      });
  });

  const exportOf = async (segment: string, locale: string) => {
    const response = await segmentCsvExport(
      db,
      SHOP,
      new Request(`https://app.test/app/export/${segment}?locale=${locale}`),
      segment,
    );
    // Read the bytes: Response.text() would drop the byte order mark.
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { response, bytes, text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes) };
  };

  it("GIVEN the CSV export for a Dutch admin THEN Excel's Dutch dialect: BOM, semicolons, decimal commas, Dutch headers and names, one line per member", async () => {
    const hostile = await db.customerScore.findFirstOrThrow({ where: { shop: SHOP }, orderBy: { customerId: "asc" } });
    await db.customer.update({
      where: { shop_id: { shop: SHOP, id: hostile.customerId } },
      data: { firstName: `=HYPERLINK("http://evil")`, lastName: "Jansen; de Boer" },
    });
    const { response, bytes, text } = await exportOf(hostile.segment, "nl");
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(
      new RegExp(`^attachment; filename="rfm-${hostile.segment}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`),
    );
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.startsWith("\uFEFF")).toBe(true);
    const [header, ...rows] = readCsv(text.slice(1), ";");
    expect(header).toEqual([
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
    const members = await db.customerScore.findMany({ where: { shop: SHOP, segment: hostile.segment } });
    expect(rows).toHaveLength(members.length);
    const row = rows.find((r) => r[0] === String(hostile.customerId));
    // A name a spreadsheet would run is text; a semicolon in a name stays in its cell.
    expect(row?.slice(2, 5)).toEqual([
      `'=HYPERLINK("http://evil")`,
      "Jansen; de Boer",
      PRESETS.nl[hostile.segment as SegmentKey],
    ]);
    expect(row?.[8]).toBe(`${hostile.r}${hostile.f}${hostile.m}`);
    // Every amount is a number with two decimals and a decimal comma, equal to the stored spend.
    for (const r of rows) {
      const member = members.find((m) => String(m.customerId) === r[0]);
      expect(r[10]).toMatch(/^\d+,\d{2}$/);
      expect(r[10]).toBe(Number(member?.monetary).toFixed(2).replace(".", ","));
      expect(r[11]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it("GIVEN the CSV export for an English admin THEN commas, decimal points and English headers, the same customers", async () => {
    const segment = "lost";
    const { text } = await exportOf(segment, "en");
    expect(
      text.startsWith(
        "\uFEFFCustomer ID,Email,First name,Last name,Segment,R,F,M,RFM,Orders,Net spend,Last order,Behaviour,Accepts email marketing,Accepts SMS marketing,Chance still a customer,Predicted value (12 months),Expected orders (12 months)\r\n",
      ),
    ).toBe(true);
    const [, ...rows] = readCsv(text.slice(1), ",");
    expect(rows.map((r) => r[0]).sort()).toEqual(
      (await db.customerScore.findMany({ where: { shop: SHOP, segment } })).map((m) => String(m.customerId)).sort(),
    );
    for (const r of rows) {
      expect(r[4]).toBe(PRESETS.en.lost);
      expect(r[10]).toMatch(/^\d+\.\d{2}$/);
    }
    // A key that is no segment is a 404, not an empty file.
    await expect(exportOf("nonsense", "en")).rejects.toMatchObject({ status: 404 });
  });

  it("GIVEN the shop's latest prediction run WHEN exporting THEN the prediction columns hold the stored predictions if that run was sufficient, and are blank before any run or after an insufficient one", async () => {
    const segment = "lost";
    const members = await db.customerScore.findMany({ where: { shop: SHOP, segment }, orderBy: { customerId: "asc" } });
    const predicted = (text: string, separator: "," | ";") =>
      new Map(
        readCsv(text.slice(1), separator)
          .slice(1)
          .map((r) => [r[0], r.slice(15)]),
      );
    // No prediction run yet: the columns are there, empty.
    const none = predicted((await exportOf(segment, "en")).text, ",");
    expect(none.size).toBe(members.length);
    for (const cells of none.values()) expect(cells).toEqual(["", "", ""]);

    const scoring = await latestFullRun(db, SHOP);
    const run = async (sufficient: boolean) =>
      db.predictionRun.create({
        data: {
          shop: SHOP,
          scoringRunId: scoring?.id ?? 0n,
          model: "mbgnbd",
          unit: "week",
          annualDiscountRate: 0.1,
          distinctTuples: 0,
          customers: members.length,
          repeatCustomers: 0,
          sufficient,
          reason: sufficient ? null : "too_few_repeat_customers",
          finishedAt: new Date(),
        },
      });
    const { id: runId } = await run(true);
    // Every third member has no row (newer than the fit), every fifth one no value (no spend model).
    const rows = members
      .filter((_, i) => i % 3 !== 0)
      .map((m, i) => ({
        shop: SHOP,
        customerId: m.customerId,
        runId,
        pAlive: 0.1 + (i % 9) / 10 + 0.01234,
        expectedOrders90: 0.1,
        expectedOrders365: 0.5 + i / 7,
        pOrder30: 0.05,
        pNoOrder90: 0.9,
        expectedAverageValue: i % 5 === 0 ? null : 40,
        predictedValue12m: i % 5 === 0 ? null : 12.3456 + i,
      }));
    await db.customerPrediction.deleteMany({ where: { shop: SHOP } });
    await db.customerPrediction.createMany({ data: rows });
    const byId = new Map(rows.map((r) => [String(r.customerId), r]));
    const nl = predicted((await exportOf(segment, "nl")).text, ";");
    const en = predicted((await exportOf(segment, "en")).text, ",");
    const comma = (s: string) => s.replace(".", ",");
    for (const m of members) {
      const row = byId.get(String(m.customerId));
      const cells = row
        ? [
            String(Number(row.pAlive.toFixed(4))),
            row.predictedValue12m === null ? "" : row.predictedValue12m.toFixed(2),
            String(Number(row.expectedOrders365.toFixed(2))),
          ]
        : ["", "", ""];
      expect(en.get(String(m.customerId))).toEqual(cells);
      expect(nl.get(String(m.customerId))).toEqual(cells.map(comma));
    }
    expect([...en.values()].filter((c) => c[1] !== "").length).toBeGreaterThan(5);
    expect(en.get(String(rows[3]?.customerId))?.[0]).toMatch(/^0\.\d{4}$/);

    // A later run without enough data: whatever rows remain, the export shows none.
    await run(false);
    for (const cells of predicted((await exportOf(segment, "en")).text, ",").values())
      expect(cells).toEqual(["", "", ""]);
    await db.customerPrediction.deleteMany({ where: { shop: SHOP } });
    await db.predictionRun.deleteMany({ where: { shop: SHOP } });
  });
});

describe("settings", () => {
  it("GIVEN invalid fields WHEN saving THEN every problem comes back with its field and nothing is stored", async () => {
    const stored = await loadSettingsPage(db, SHOP);
    const input = {
      rfm: {
        ...stored.rfm,
        frequencyMode: "thresholds",
        frequencyThresholds: [1, 3, 2, 5, 10],
        writeBack: { ...stored.rfm.writeBack, tagPrefix: "RFM!" },
      },
      peakSeasons: [...stored.peakSeasons, { key: "zomer", kind: "fixed", from: "02-30", to: "08-31" }],
    };
    const error = await saveSettings(db, SHOP, input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSettingsError);
    expect((error as InvalidSettingsError).problems.map((p) => p.path).sort()).toEqual([
      "peakSeasons.3.from",
      "rfm.frequencyThresholds",
      "rfm.writeBack.tagPrefix",
    ]);
    expect(await loadSettingsPage(db, SHOP)).toEqual(stored);
  });

  it("GIVEN valid fields with a new peak season WHEN saving THEN both are stored and the aggregates are marked for recomputing", async () => {
    const stored = await loadSettingsPage(db, SHOP);
    const peakSeasons = [...stored.peakSeasons, { key: "zomer", kind: "fixed" as const, from: "07-01", to: "08-31" }];
    const saved = await saveSettings(db, SHOP, {
      rfm: { ...stored.rfm, names: { champions: "Kanjers" } },
      peakSeasons,
    });
    expect(saved.peaksChanged).toBe(true);
    const after = await loadSettingsPage(db, SHOP);
    expect(after.rfm.names.champions).toBe("Kanjers");
    expect(after.peakSeasons).toEqual(peakSeasons);
    expect((await db.shopSettings.findUniqueOrThrow({ where: { shop: SHOP } })).aggregatesStale).toBe(true);
    // Saving the same again changes no season.
    expect((await saveSettings(db, SHOP, { rfm: after.rfm, peakSeasons })).peaksChanged).toBe(false);
  });
});

describe("the dashboard's pipeline status", () => {
  const EMPTY = "admin-empty.myshopify.com";

  it("GIVEN a finished sync of a store with no orders THEN the dashboard has no run and knows there are no orders (its empty state)", async () => {
    await db.shop.create({ data: { shop: EMPTY, ianaTimezone: "Europe/Amsterdam" } });
    const started = new Date("2026-11-20T10:00:00Z");
    await db.syncRun.create({
      data: {
        shop: EMPTY,
        kind: "backfill",
        status: "completed",
        phase: "completed",
        ordersExpected: 0,
        startedAt: started,
        finishedAt: new Date(started.getTime() + 5_000),
      },
    });
    const d = await loadDashboard(db, EMPTY, "en", new Date("2026-11-20T10:01:00Z"));
    expect(d).toMatchObject({ hasOrders: false, run: null, segments: [], grid: [], movement: [] });
    expect(d.sync.lastCompleted?.status).toBe("completed");
    expect(d.scoring.state).toBe("idle");
    expect(d.writeBack.state).toBe("idle");
  });

  it("GIVEN scoring and write-back in each state THEN the dashboard tells queued, running (with the previous duration), failed and interrupted apart", async () => {
    const run = await latestFullRun(db, SHOP);
    const finished = run?.finishedAt as Date;
    const at = (ms: number) => new Date(finished.getTime() + ms);
    // Scoring started after the last run finished: running, measured against that run's duration.
    await db.shop.update({ where: { shop: SHOP }, data: { scoringStartedAt: at(1_000), scoringError: null } });
    let d = await loadDashboard(db, SHOP, "en", at(2_000));
    expect(d.scoring).toMatchObject({ state: "running", expectedSeconds: (run?.stats as { seconds: number }).seconds });
    expect((await loadDashboard(db, SHOP, "en", at(2 * 3_600_000))).scoring.state).toBe("interrupted");
    await db.shop.update({
      where: { shop: SHOP },
      data: { scoringError: "canceling statement due to statement timeout" },
    });
    d = await loadDashboard(db, SHOP, "en", at(2_000));
    expect(d.scoring).toMatchObject({ state: "failed", message: "canceling statement due to statement timeout" });
    await db.shop.update({ where: { shop: SHOP }, data: { scoringStartedAt: null, scoringError: null } });

    // Write-back: queued right after a run, then running, failed, done.
    expect((await loadDashboard(db, SHOP, "en", at(2_000))).writeBack.state).toBe("queued");
    const wb = await db.writeBackRun.create({
      data: { shop: SHOP, phase: "metafields", scope: "full", tagCustomers: 12, startedAt: at(3_000) },
    });
    d = await loadDashboard(db, SHOP, "en", at(4_000));
    expect(d.writeBack).toMatchObject({ state: "running", phase: "metafields", tagCustomers: 12 });
    await db.writeBackRun.update({
      where: { shop_id: { shop: SHOP, id: wb.id } },
      data: { phase: "failed", message: "Shopify answered 503", finishedAt: at(5_000) },
    });
    expect((await loadDashboard(db, SHOP, "en", at(6_000))).writeBack).toMatchObject({
      state: "failed",
      message: "Shopify answered 503",
    });
    await db.writeBackRun.create({
      data: {
        shop: SHOP,
        phase: "done",
        scope: "full",
        tagCustomers: 12,
        metafieldCustomers: 12,
        segmentsChanged: 0,
        startedAt: at(7_000),
        finishedAt: at(9_000),
      },
    });
    d = await loadDashboard(db, SHOP, "en", at(10_000));
    expect(d.writeBack).toMatchObject({ state: "idle", phase: "done", metafieldCustomers: 12 });
  });
});
