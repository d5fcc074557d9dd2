import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  dayMatches,
  evaluateSegment,
  filterNames,
  parseSegmentQuery,
  SegmentQueryError,
  type SegmentFacts,
} from "./segment-query";
import { startAdminEmulator, type AdminEmulator } from "./server";
import { routeShopifyToEmulator } from "./shopify-origin-routing";
import { TEST_APP } from "../setup/test-app";

const ALL = new Set(filterNames(true));
const parses = (q: string) => () => parseSegmentQuery(q, ALL);

describe("segment query language: examples quoted from Shopify's reference", () => {
  // Each of these appears verbatim in shopify.dev/docs/api/shopifyql/segment-query-language-reference.
  const valid = [
    "shopify_email.opened MATCHES ()",
    "shopify_email.opened MATCHES (activity_id = 5240029206)",
    "shopify_email.opened NOT MATCHES (activity_id = 5240029206)",
    "shopify_email.delivered MATCHES (activity_id = 5240029206)",
    "shopify_email.opened MATCHES (activity_id IN (5240029206, 1932881090, 3250045832))",
    "shopify_email.unsubscribed MATCHES (activity_id IN (5240029206))",
    "shopify_email.delivered MATCHES (activity_id = 5240029206, date = 2022-01-01)",
    "shopify_email.marked_as_spam MATCHES (activity_id = 5240029206, date > -3m)",
    "shopify_email.bounced NOT MATCHES (activity_id = 5240029206, date BETWEEN -12m AND today)",
    "amount_spent BETWEEN 100 AND 1000.99",
    "number_of_orders >= 10",
    "customer_tags CONTAINS 'vip'",
    "customer_tags NOT CONTAINS 'vip'",
  ];
  for (const q of valid) it(`GIVEN ${q} WHEN parsed THEN it is accepted`, () => expect(parses(q)).not.toThrow());

  it("GIVEN the storefront event filter with a product and a window WHEN parsed THEN it is accepted", () => {
    expect(parses("storefront_event.product_viewed MATCHES (id = 1234567890, date > -7d)")).not.toThrow();
    expect(parses("storefront_event.product_viewed MATCHES (date >= -30d)")).not.toThrow();
  });

  const invalid: [string, RegExp][] = [
    // 2026-10: "the previous query shopify_email.opened() = true would now be represented as … MATCHES ()".
    ["shopify_email.opened() = true", /no longer supported/],
    ["shopify_email.clicked", /MATCHES/],
    ["shopify_email.read MATCHES ()", /cannot be found/],
    // "Each parameter can only be used once per MATCHES filter."
    ["shopify_email.opened MATCHES (date > 2025-01-01, date < 2025-06-01)", /only be used once/],
    ["shopify_email.opened MATCHES (id = 1)", /not a parameter/],
    ["storefront_event.product_viewed MATCHES (activity_id = 1)", /not a parameter/],
    ["shopify_email.opened MATCHES (date > 30_days)", /not a valid date/],
    ["shopify_email.opened MATCHES (date > -30x)", /not a valid date/],
    ["last_visit_date > -30d", /cannot be found/],
    [
      // "Invalid query: Too many clauses (>10)" — the reference's own example of eleven.
      Array.from({ length: 11 }, (_, i) => `customer_tags CONTAINS 't${i}'`).join(" OR "),
      /too many clauses/,
    ],
    ["", /can't be blank/],
    ["customer_tags CONTAINS 'a' AND", /filter cannot be found|expected/],
  ];
  for (const [q, why] of invalid)
    it(`GIVEN ${q.slice(0, 60)} WHEN parsed THEN it is refused`, () => {
      expect(parses(q)).toThrow(SegmentQueryError);
      expect(parses(q)).toThrow(why);
    });

  it("GIVEN a shop without the event filters WHEN an email filter is used THEN it cannot be found", () => {
    expect(() => parseSegmentQuery("shopify_email.clicked MATCHES ()", new Set(filterNames(false)))).toThrow(
      /cannot be found/,
    );
  });
});

describe("segment query evaluation", () => {
  const at = (day: string) => new Date(`${day}T12:00:00Z`);
  const facts: SegmentFacts = {
    tags: ["VIP"],
    numberOfOrders: 0,
    amountSpent: 0,
    events: (family, event) =>
      family === "shopify_email" && event === "clicked"
        ? [{ at: at("2026-11-10"), subjectId: 7 }]
        : family === "storefront_event" && event === "product_viewed"
          ? [{ at: at("2026-09-01"), subjectId: 99 }]
          : [],
  };
  const evalAt = (q: string, today = "2026-12-04") => evaluateSegment(parseSegmentQuery(q, ALL), facts, today, "UTC");

  it("GIVEN a click 24 days ago WHEN windows of 30 and 7 days are asked THEN only the 30-day one matches", () => {
    expect(evalAt("shopify_email.clicked MATCHES (date > -30d)")).toBe(true);
    expect(evalAt("shopify_email.clicked MATCHES (date > -7d)")).toBe(false);
    expect(evalAt("shopify_email.clicked NOT MATCHES (date > -7d)")).toBe(true);
    expect(evalAt("shopify_email.clicked MATCHES (activity_id = 8)")).toBe(false);
    expect(evalAt("shopify_email.clicked MATCHES (activity_id IN (8, 7))")).toBe(true);
  });

  it("GIVEN AND before OR WHEN mixed THEN AND binds tighter, and parentheses change it", () => {
    expect(
      evalAt("number_of_orders > 0 AND customer_tags CONTAINS 'vip' OR storefront_event.product_viewed MATCHES ()"),
    ).toBe(true);
    expect(
      evalAt("number_of_orders > 0 AND (customer_tags CONTAINS 'vip' OR storefront_event.product_viewed MATCHES ())"),
    ).toBe(false);
  });

  it("GIVEN whole days WHEN the boundary day is compared THEN > excludes it and >= includes it", () => {
    const today = "2026-12-04";
    expect(dayMatches("2026-11-04", { op: ">", value: { kind: "offset", amount: -30, unit: "d" } }, today)).toBe(false);
    expect(dayMatches("2026-11-04", { op: ">=", value: { kind: "offset", amount: -30, unit: "d" } }, today)).toBe(true);
    expect(
      dayMatches(
        "2026-06-04",
        {
          op: "BETWEEN",
          from: { kind: "offset", amount: -6, unit: "m" },
          to: { kind: "offset", amount: 0, unit: "d" },
        },
        today,
      ),
    ).toBe(true);
  });
});

describe("customerSegmentMembers and segmentFilters over HTTP", () => {
  const SHOP = "segment-members.myshopify.com";
  const BARE = "segment-bare.myshopify.com";
  let emulator: AdminEmulator;

  async function gql(shop: string, query: string, variables: Record<string, unknown> = {}) {
    const s = emulator.shop(shop);
    s.grantedScopes ??= TEST_APP.scopes.split(",");
    const token = s.issueToken(TEST_APP.scopes, false).access_token;
    const response = await fetch(`https://${shop}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
  }

  beforeAll(async () => {
    emulator = await startAdminEmulator({
      app: TEST_APP,
      shops: [
        { domain: SHOP, name: "Members", dataset: { customers: 400, orders: 1200 } },
        { domain: BARE, name: "Bare", engagementFilters: false, dataset: { customers: 50, orders: 100 } },
      ],
    });
    routeShopifyToEmulator(emulator.url);
  });
  afterAll(async () => emulator.close());

  const MEMBERS = `query M($q: String!, $after: String) {
    customerSegmentMembers(first: 50, query: $q, after: $after) {
      edges { cursor node { id } } pageInfo { hasNextPage endCursor } totalCount }
  }`;
  type Page = {
    customerSegmentMembers: {
      edges: { node: { id: string } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      totalCount: number;
    };
  };

  it("GIVEN a 90-day click window WHEN paged 50 at a time THEN the members are exactly the customers with a click then", async () => {
    const shop = emulator.shop(SHOP);
    const since = Date.now() - 90 * 86_400_000;
    const expected: string[] = [];
    for (const c of shop.customers()) {
      const dayOk = shop
        .engagementOf(c)
        .clicked.some((e) => e.at.toISOString().slice(0, 10) > new Date(since).toISOString().slice(0, 10));
      if (dayOk) expected.push(`gid://shopify/CustomerSegmentMember/${c.id}`);
    }
    expect(expected.length).toBeGreaterThan(50); // more than one page
    const got: string[] = [];
    let after: string | null = null;
    let total = -1;
    for (;;) {
      const r = await gql(SHOP, MEMBERS, { q: "shopify_email.clicked MATCHES (date > -90d)", after });
      expect(r.errors).toBeUndefined();
      const page = (r.data as Page).customerSegmentMembers;
      total = page.totalCount;
      got.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(got).toEqual(expected);
    expect(total).toBe(expected.length);
  });

  it("GIVEN the generator WHEN customers bought THEN they viewed what they bought before buying", () => {
    const shop = emulator.shop(SHOP);
    let checked = 0;
    for (const c of shop.customers()) {
      const views = shop.engagementOf(c).viewed;
      for (const o of shop.ordersOf(c)) {
        const before = views.filter(
          (v) => v.at <= o.createdAt && o.createdAt.getTime() - v.at.getTime() <= 5 * 86_400_000,
        );
        if (o.createdAt.getTime() - 5 * 86_400_000 < shop.dataset.fromMs) continue;
        expect(before.some((v) => o.lineItems.some((l) => l.productId === v.subjectId))).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("GIVEN an invalid query WHEN members are asked THEN a GraphQL error, no data", async () => {
    const r = await gql(SHOP, MEMBERS, { q: "shopify_email.clicked() = true", after: null });
    expect(r.errors?.[0]?.message).toMatch(/no longer supported/);
  });

  it("GIVEN a shop with and one without the event filters WHEN segmentFilters is read THEN only the first lists them", async () => {
    const Q = `{ segmentFilters(first: 250) { nodes { __typename queryName ... on SegmentEventFilter { parameters { queryName } } } } }`;
    type F = {
      segmentFilters: { nodes: { __typename: string; queryName: string; parameters?: { queryName: string }[] }[] };
    };
    const withEvents = ((await gql(SHOP, Q)).data as F).segmentFilters.nodes;
    const clicked = withEvents.find((n) => n.queryName === "shopify_email.clicked");
    expect(clicked).toMatchObject({ __typename: "SegmentEventFilter" });
    expect(clicked?.parameters?.map((p) => p.queryName)).toEqual(["activity_id", "date"]);
    expect(withEvents.some((n) => n.queryName === "storefront_event.product_viewed")).toBe(true);
    const bare = ((await gql(BARE, Q)).data as F).segmentFilters.nodes;
    expect(bare.some((n) => n.queryName.startsWith("shopify_email."))).toBe(false);
    const refused = await gql(BARE, MEMBERS, { q: "shopify_email.clicked MATCHES ()", after: null });
    expect(refused.errors?.[0]?.message).toMatch(/cannot be found/);
  });
});
