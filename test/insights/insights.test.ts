import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../app/platform/db.server";
import { ingestOrdersJsonl } from "../../app/pipeline/ingest/bulk-ingest.server";
import { recomputeShopAggregates } from "../../app/pipeline/aggregate/aggregates.server";
import { runFullScoring } from "../../app/pipeline/score/scoring.server";
import { latestInsights, latestInsightsShown, runInsights } from "../../app/pipeline/insights/insights.server";
import { MIN_SUPPORT, RANKED_LIST_LENGTH } from "../../app/domain/insights/first-products";
import { COUPON_KEYS, InsightDim } from "../../app/domain/insights/members";
import { loadInsightCustomersPage } from "../../app/pages/insight-customers/insight-customers.server";
import { ShopDataset, type GeneratedOrder } from "../emulator/generator";
import { orderNode } from "../emulator/shapes";
import {
  buyersOf,
  oracleChannels,
  oracleCohorts,
  oracleCoupons,
  oracleFirstProducts,
  oracleProductTypes,
} from "./oracle";

/**
 * The rfm.insights job's stored summaries against the oracle (test/insights/oracle.ts, which imports nothing from
 * app/), both from the same generated shop: first products, vendors and product types (support ≥ 30, Wilson 95 %),
 * acquisition channels and UTM campaigns of the first order, coupon cohorts and monthly cohorts. The orders reach
 * the database the way a backfill brings them: the emulator's Admin API shape of each order (journey as Shopify
 * answers it at NOW) through the bulk-export ingest.
 */

const db = createDb(process.env.DATABASE_URL as string, 4);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
const SHOP = "insights-oracle.myshopify.com";
const TZ = "Europe/Amsterdam";
const AS_OF = "2026-11-20";
const dataset = new ShopDataset({
  seed: 18,
  customers: 3_000,
  orders: 9_000,
  from: "2023-01-01",
  to: AS_OF,
  currency: "EUR",
});
const orders: GeneratedOrder[] = [...dataset.orders()];
/** When the export ran: orders of the last hours whose journey Shopify had not attributed yet are ready: false. */
const NOW = Date.parse("2026-11-21T00:00:00Z");

/** The bulk result file of the orders query (operations/orders.ts): one line per order, its line items after it. */
function* exportLines(): Generator<string> {
  for (const o of orders) {
    const { lineItems, ...order } = orderNode(o, NOW);
    yield JSON.stringify(order);
    for (const li of lineItems({}).nodes) yield JSON.stringify({ ...li, __parentId: order.id });
  }
}

async function* exportFile(): AsyncGenerator<Uint8Array> {
  let chunk = "";
  for (const line of exportLines()) {
    chunk += `${line}\n`;
    if (chunk.length > 1 << 16) {
      yield Buffer.from(chunk);
      chunk = "";
    }
  }
  yield Buffer.from(chunk);
}

/** Every number to 9 decimals, so float noise in the last bits does not count as a difference. */
function rounded(value: unknown): unknown {
  if (typeof value === "number") return Math.round(value * 1e9) / 1e9;
  if (Array.isArray(value)) return value.map(rounded);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]));
  return value;
}

function withoutSegments<T extends { segments?: unknown }>(group: T) {
  const { segments: _segments, ...rest } = group;
  return rest;
}

let segments = new Map<number, string>();

beforeAll(async () => {
  await db.shop.create({ data: { shop: SHOP, name: SHOP, currencyCode: "EUR", ianaTimezone: TZ } });
  await db.syncRun.create({ data: { shop: SHOP, id: "insights-export", kind: "backfill", status: "ingesting" } });
  await ingestOrdersJsonl({ pool, shop: SHOP, runId: "insights-export", source: exportFile() });
  await recomputeShopAggregates(db, SHOP, new Date(`${AS_OF}T23:00:00Z`));
  await runFullScoring(db, SHOP, { asOf: AS_OF });
  const outcome = await runInsights(db, SHOP);
  expect(outcome).not.toBeNull();
  const scores = await db.customerScore.findMany({
    where: { shop: SHOP },
    select: { customerId: true, segment: true },
  });
  segments = new Map(scores.map((s) => [Number(s.customerId), s.segment]));
}, 120_000);

afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

describe("insights against the oracle", () => {
  it("GIVEN a generated shop WHEN rfm.insights runs THEN first products and vendors match the oracle, with support ≥ 30 and Wilson bounds", async () => {
    const stored = await latestInsights(db, SHOP);
    if (!stored) throw new Error("no insights stored");
    const expected = oracleFirstProducts(buyersOf(orders, segments), MIN_SUPPORT, RANKED_LIST_LENGTH);
    const { firstProducts } = stored;
    expect(firstProducts.minSupport).toBe(30);
    expect(rounded(firstProducts.shop)).toEqual(rounded(withoutSegments(expected.shop)));
    const productTypes = oracleProductTypes(buyersOf(orders, segments), MIN_SUPPORT, RANKED_LIST_LENGTH);
    expect(rounded(firstProducts.productTypes)).toEqual(
      rounded({ ...productTypes, groups: productTypes.groups.map(withoutSegments) }),
    );
    // Six types, none below support; blank types are in no group.
    expect(firstProducts.productTypes?.groups.map((g) => g.key).sort()).toEqual([
      "Candles",
      "Mugs",
      "Planters",
      "Prints",
      "Textiles",
      "Vases",
    ]);
    for (const dim of ["products", "vendors"] as const) {
      expect(rounded(firstProducts[dim].groups)).toEqual(rounded(expected[dim].groups.map(withoutSegments)));
      expect(firstProducts[dim].belowSupport).toBe(expected[dim].belowSupport);
      expect(firstProducts[dim].makesLoyal).toEqual(expected[dim].makesLoyal);
      expect(firstProducts[dim].noReturn).toEqual(expected[dim].noReturn);
    }
    // The data must exercise the rules: ranked products, some left out for support, every vendor in.
    expect(firstProducts.products.groups.length).toBeGreaterThan(10);
    expect(firstProducts.products.makesLoyal).toHaveLength(RANKED_LIST_LENGTH);
    expect(firstProducts.vendors.groups).toHaveLength(5);
    // Buyers whose only orders are test or cancelled ones are not customers here.
    const buyers = new Set(orders.flatMap((o) => (o.customerId ? [o.customerId] : []))).size;
    expect(firstProducts.shop.customers).toBeLessThan(buyers);
    expect(firstProducts.shop.customers).toBeGreaterThan(buyers * 0.95);

    // What the page reads: the same run with the products' groups cut to the first three keys of each ranked list.
    const shown = await latestInsightsShown(db, SHOP, 3);
    if (!shown) throw new Error("no insights shown");
    const listed = new Set([
      ...firstProducts.products.makesLoyal.slice(0, 3),
      ...firstProducts.products.noReturn.slice(0, 3),
    ]);
    expect(listed.size).toBeGreaterThan(3);
    expect(shown.firstProducts.products.groups).toEqual(firstProducts.products.groups.filter((g) => listed.has(g.key)));
    expect({ ...shown.firstProducts, products: { ...shown.firstProducts.products, groups: [] } }).toEqual({
      ...firstProducts,
      products: { ...firstProducts.products, groups: [] },
    });
    expect({ ...shown, firstProducts: null }).toEqual({ ...stored, firstProducts: null });
  });

  it("GIVEN a generated shop with journeys WHEN rfm.insights runs THEN channels, UTM campaigns and the journey coverage of first orders match the oracle", async () => {
    const stored = await latestInsights(db, SHOP);
    if (!stored?.channels) throw new Error("no channel insights stored");
    const expected = oracleChannels(buyersOf(orders, segments), NOW, MIN_SUPPORT, RANKED_LIST_LENGTH);
    const withoutMix = (d: typeof expected.channels) => ({ ...d, groups: d.groups.map(withoutSegments) });
    expect(stored.channels.coverage).toEqual(expected.coverage);
    expect(rounded(stored.channels.channels)).toEqual(rounded(withoutMix(expected.channels)));
    expect(rounded(stored.channels.campaigns)).toEqual(rounded(withoutMix(expected.campaigns)));
    // The data must exercise the rules: every kind of channel ranked, some left below support, every state seen.
    const tactics = new Set(stored.channels.channels.groups.map((g) => g.key.split(":")[0]));
    expect([...tactics].sort()).toEqual(["ad", "newsletter", "none", "seo"]);
    expect(stored.channels.channels.belowSupport).toBeGreaterThan(0);
    expect(stored.channels.campaigns.groups.length).toBeGreaterThan(4);
    const c = stored.channels.coverage;
    expect(c.attributed + c.noVisit + c.pending + c.none + c.unknown).toBe(c.customers);
    expect(c.customers).toBe(stored.firstProducts.shop.customers);
    expect(Math.min(c.attributed, c.noVisit, c.none)).toBeGreaterThan(50);
  });

  it("GIVEN a generated shop WHEN rfm.insights runs THEN coupon-acquired vs full-price and the second-code cohorts match the oracle", async () => {
    const stored = await latestInsights(db, SHOP);
    if (!stored) throw new Error("no insights stored");
    const expected = oracleCoupons(buyersOf(orders, segments));
    expect(rounded(stored.couponCohorts)).toEqual(rounded(expected));
    expect(stored.couponCohorts.firstOrder.coupon.customers).toBeGreaterThan(100);
    expect(stored.couponCohorts.secondOrder.coupon.customers).toBeGreaterThan(10);
  });

  it("GIVEN a generated shop WHEN rfm.insights runs THEN each monthly cohort's cumulative spend, repeat rate and segment mix match the oracle", async () => {
    const stored = await latestInsights(db, SHOP);
    if (!stored) throw new Error("no insights stored");
    const expected = oracleCohorts(buyersOf(orders, segments), TZ, "2026-11");
    expect(rounded(stored.cohorts)).toEqual(rounded(expected));
    expect(stored.cohorts.cohorts.length).toBeGreaterThan(40);
    // The first cohort reaches the run's month; the last has one column.
    expect(stored.cohorts.cohorts.at(-1)?.cells).toHaveLength(1);
  });

  it("GIVEN the stored insights WHEN each row's customer list is paged through THEN it holds exactly the customers the row counted, for every kind of row", async () => {
    const stored = await latestInsights(db, SHOP);
    const productTypes = stored?.firstProducts.productTypes;
    if (!stored?.channels || !productTypes) throw new Error("no insights stored");
    const { firstProducts, channels, couponCohorts, cohorts } = stored;
    const of = (dim: InsightDim, groups: { key: string; customers: number }[]) =>
      groups.map((g) => ({ dim, key: g.key, customers: g.customers }));
    const rows = [
      ...of("product", firstProducts.products.groups),
      ...of("vendor", firstProducts.vendors.groups),
      ...of("product_type", productTypes.groups),
      ...of("channel", channels.channels.groups),
      ...of("campaign", channels.campaigns.groups),
      ...of("coupon", [
        { key: COUPON_KEYS.firstCoupon, customers: couponCohorts.firstOrder.coupon.customers },
        { key: COUPON_KEYS.firstFullPrice, customers: couponCohorts.firstOrder.fullPrice.customers },
        { key: COUPON_KEYS.secondCoupon, customers: couponCohorts.secondOrder.coupon.customers },
        { key: COUPON_KEYS.secondFullPrice, customers: couponCohorts.secondOrder.fullPrice.customers },
      ]),
      ...of(
        "cohort",
        cohorts.cohorts.map((c) => ({ key: c.month, customers: c.customers })),
      ),
    ];
    const listed = async (dim: InsightDim, key: string) => {
      const ids: string[] = [];
      let after: string | null = "";
      let shown = -1;
      while (after !== null) {
        const params = new URLSearchParams({ insight: dim, key, ...(after ? { after } : {}) });
        const page = await loadInsightCustomersPage(db, SHOP, new Request(`https://app.test/app/customers?${params}`));
        shown = page.customers;
        ids.push(...page.rows.map((r) => r.customerId));
        after = page.next;
      }
      return { ids, shown };
    };
    // Every row's count against its members (one grouped count), and one row of each kind paged through the page.
    const counts = await db.insightMember.groupBy({ by: ["dim", "key"], where: { shop: SHOP }, _count: true });
    const members = new Map(counts.map((c) => [`${c.dim}|${c.key}`, c._count]));
    for (const row of rows) expect(members.get(`${row.dim}|${row.key}`), `${row.dim} ${row.key}`).toBe(row.customers);
    for (const dim of InsightDim.options) {
      const row = rows.find((r) => r.dim === dim);
      if (!row) throw new Error(`no ${dim} row`);
      const { ids, shown } = await listed(row.dim, row.key);
      expect(shown, `${row.dim} ${row.key}`).toBe(row.customers);
      expect(new Set(ids).size, `${row.dim} ${row.key}`).toBe(row.customers);
      expect(ids.map(BigInt)).toEqual([...ids.map(BigInt)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    // Every kind is exercised, and the lists are the oracle's customers, not just as many.
    const buyers = buyersOf(orders, segments);
    const product = firstProducts.products.groups[0];
    if (!product) throw new Error("no product group");
    const firstHad = buyers.filter((b) => b.orders[0]?.lineItems.some((l) => String(l.productId) === product.key));
    expect((await listed("product", product.key)).ids.sort()).toEqual(firstHad.map((b) => String(b.id)).sort());
    const couponFirst = buyers.filter((b) => (b.orders[0]?.discountCodes.length ?? 0) > 0);
    expect((await listed("coupon", COUPON_KEYS.firstCoupon)).ids.sort()).toEqual(
      couponFirst.map((b) => String(b.id)).sort(),
    );
    // Paging back from the second page returns the first; a group the run does not show is not found.
    const big = rows.find((r) => r.dim === "coupon" && r.key === COUPON_KEYS.firstFullPrice);
    if (!big) throw new Error("no full-price group");
    const url = (q: Record<string, string>) =>
      new Request(`https://app.test/app/customers?${new URLSearchParams({ insight: "coupon", key: big.key, ...q })}`);
    const first = await loadInsightCustomersPage(db, SHOP, url({}));
    const second = await loadInsightCustomersPage(db, SHOP, url({ after: first.next ?? "" }));
    expect(second.previous).not.toBeNull();
    const back = await loadInsightCustomersPage(db, SHOP, url({ before: second.previous ?? "" }));
    expect(back.rows.map((r) => r.customerId)).toEqual(first.rows.map((r) => r.customerId));
    expect(back.previous).toBeNull();
    await expect(
      loadInsightCustomersPage(db, SHOP, new Request("https://app.test/app/customers?insight=product&key=1")),
    ).rejects.toMatchObject({ status: 404 });
  }, 120_000);
});
