import { GraphQLError } from "graphql";
import type { EmulatedShop } from "./shop-state";
import type { GeneratedCustomer } from "./generator";
import {
  evaluateSegment,
  filterNames,
  localDay,
  parseSegmentQuery,
  SegmentQueryError,
  type EngagementEvent,
  type SegmentExpr,
  type SegmentFacts,
} from "./segment-query";

/**
 * customerSegmentMembers and segmentFilters. Shopify's reference: customerSegmentMembers is "A paginated list of
 * customers that belong to an individual Segment … The maximum page size is 1000", filtered by `query` (segment
 * query language) or `segmentId`, with `timezone` that "defaults to UTC"; a member's id is
 * gid://shopify/CustomerSegmentMember/<customer id>. Members come in customer id order (the default sort).
 */

const MAX_PAGE = 1000;

const cursorOf = (index: number) => Buffer.from(`member:${index}`).toString("base64");

function indexOfCursor(cursor: string): number {
  const m = /^member:(\d+)$/.exec(Buffer.from(cursor, "base64").toString());
  if (!m) throw new GraphQLError("Invalid cursor", { extensions: { code: "BAD_REQUEST" } });
  return Number(m[1]);
}

function factsOf(shop: EmulatedShop, customer: GeneratedCustomer): SegmentFacts {
  let engagement: ReturnType<EmulatedShop["engagementOf"]> | undefined;
  let counted: ReturnType<EmulatedShop["ordersOf"]> | undefined;
  // Orders and events are regenerated only when the query asks about them.
  const orders = () => (counted ??= shop.ordersOf(customer).filter((o) => !o.test && o.cancelledAt === null));
  return {
    tags: shop.customerTagList(customer),
    get numberOfOrders() {
      return orders().length;
    },
    get amountSpent() {
      return orders().reduce((s, o) => s + o.currentTotalCents, 0) / 100;
    },
    events: (family, event): readonly EngagementEvent[] => {
      engagement ??= shop.engagementOf(customer);
      if (family === "storefront_event") return event === "product_viewed" ? engagement.viewed : [];
      if (event === "clicked") return engagement.clicked;
      if (event === "opened") return engagement.opened;
      if (event === "delivered") return engagement.delivered;
      return [];
    },
  };
}

interface MembersArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  query?: string | null;
  segmentId?: string | null;
  queryId?: string | null;
  reverse?: boolean | null;
  sortKey?: string | null;
  timezone?: string | null;
}

export function customerSegmentMembers(shop: EmulatedShop, args: MembersArgs) {
  if (args.last != null || args.before != null || args.reverse || args.sortKey != null || args.queryId != null)
    throw new Error("customerSegmentMembers: only first/after with query or segmentId is implemented by the emulator");
  if (args.first == null) throw new GraphQLError("you must provide one of first or last");
  if (args.first > MAX_PAGE || args.first < 1)
    throw new GraphQLError(`The first argument must be between 1 and ${MAX_PAGE}`);
  let text: string;
  if (args.segmentId != null) {
    const segment = shop.segments.get(args.segmentId);
    if (!segment) throw new GraphQLError("Segment does not exist");
    text = segment.query;
  } else if (args.query != null) text = args.query;
  else throw new GraphQLError("One of query, segmentId or queryId is required");
  let expr: SegmentExpr;
  try {
    expr = parseSegmentQuery(text, new Set(filterNames(shop.engagementFilters)));
  } catch (error) {
    if (error instanceof SegmentQueryError) throw new GraphQLError(error.message, { extensions: { code: "INVALID" } });
    throw error;
  }
  const timeZone = args.timezone ?? "UTC";
  const today = localDay(new Date(), timeZone);
  const matches = (c: GeneratedCustomer) => evaluateSegment(expr, factsOf(shop, c), today, timeZone);
  const total = shop.dataset.spec.customers;
  const start = args.after ? indexOfCursor(args.after) + 1 : 0;
  const edges: { cursor: string; node: Record<string, unknown> }[] = [];
  let index = start;
  let hasNextPage = false;
  for (; index < total; index++) {
    const customer = shop.dataset.customer(index);
    const current = shop.customer(customer.id);
    if (!current || !matches(current)) continue;
    if (edges.length === args.first) {
      hasNextPage = true;
      break;
    }
    edges.push({ cursor: cursorOf(index), node: memberNode(shop, current) });
  }
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: () => {
      let n = 0;
      for (let i = 0; i < total; i++) {
        const c = shop.customer(shop.dataset.customerId(i));
        if (c && matches(c)) n++;
      }
      return n;
    },
  };
}

function memberNode(shop: EmulatedShop, customer: GeneratedCustomer) {
  const facts = factsOf(shop, customer);
  return {
    id: `gid://shopify/CustomerSegmentMember/${customer.id}`,
    firstName: customer.firstName,
    lastName: customer.lastName,
    displayName: `${customer.firstName} ${customer.lastName}`,
    numberOfOrders: String(facts.numberOfOrders),
    amountSpent: { amount: facts.amountSpent.toFixed(2), currencyCode: shop.currencyCode },
  };
}

const EVENT_PARAMETERS = (idName: string, idLabel: string) => [
  {
    queryName: idName,
    localizedName: idLabel,
    localizedDescription: `Filter on one or more ${idLabel.toLowerCase()}s`,
    parameterType: "ID",
    acceptsMultipleValues: true,
    optional: true,
    minRange: null,
    maxRange: null,
  },
  {
    queryName: "date",
    localizedName: "Date",
    localizedDescription: "The date of the event",
    parameterType: "Date",
    acceptsMultipleValues: false,
    optional: true,
    minRange: null,
    maxRange: null,
  },
];

const LABELS: Record<string, string> = {
  customer_tags: "Customer tags",
  number_of_orders: "Number of orders",
  amount_spent: "Amount spent",
  "shopify_email.bounced": "Shopify Email bounced",
  "shopify_email.clicked": "Shopify Email clicked",
  "shopify_email.delivered": "Shopify Email delivered",
  "shopify_email.marked_as_spam": "Shopify Email marked as spam",
  "shopify_email.opened": "Shopify Email opened",
  "shopify_email.unsubscribed": "Shopify Email unsubscribed",
  "storefront_event.product_viewed": "Product viewed",
  "storefront_event.collection_viewed": "Collection viewed",
};

function filterNode(queryName: string) {
  const localizedName = LABELS[queryName] ?? queryName;
  if (queryName === "customer_tags")
    return { __typename: "SegmentStringFilter", queryName, localizedName, multiValue: true };
  if (queryName === "number_of_orders")
    return {
      __typename: "SegmentIntegerFilter",
      queryName,
      localizedName,
      multiValue: false,
      minRange: 0,
      maxRange: null,
    };
  if (queryName === "amount_spent")
    return {
      __typename: "SegmentFloatFilter",
      queryName,
      localizedName,
      multiValue: false,
      minRange: 0,
      maxRange: null,
    };
  const storefront = queryName.startsWith("storefront_event.");
  return {
    __typename: "SegmentEventFilter",
    queryName,
    localizedName,
    multiValue: false,
    returnValueType: "Boolean",
    parameters: storefront
      ? EVENT_PARAMETERS("id", queryName.endsWith("product_viewed") ? "Product" : "Collection")
      : EVENT_PARAMETERS("activity_id", "Marketing activity"),
  };
}

/** The shop's segment filters, paged like any connection (first ≤ 250). */
export function segmentFilters(shop: EmulatedShop, args: { first?: number | null; after?: string | null }) {
  if (args.first == null) throw new GraphQLError("you must provide one of first or last");
  if (args.first > 250) throw new GraphQLError("The first argument must not exceed 250");
  const all = filterNames(shop.engagementFilters);
  const start = args.after
    ? Number(
        Buffer.from(args.after, "base64")
          .toString()
          .replace(/^filter:/, ""),
      ) + 1
    : 0;
  const page = all.slice(start, start + args.first);
  const edges = page.map((name, i) => ({
    cursor: Buffer.from(`filter:${start + i}`).toString("base64"),
    node: filterNode(name),
  }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: start + page.length < all.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
