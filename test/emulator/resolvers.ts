import { GraphQLError } from "graphql";
import type { EmulatedShop } from "./shop-state";
import { bulkOperationNode, bulkOperationsConnection, startBulkQuery, type BulkContext } from "./bulk";
import { stagedUploadsCreate, startBulkMutation } from "./bulk-mutation";
import { metafieldDefinitionCreate, metafieldsDelete, metafieldsSet } from "./metafields";
import { discountCodeBasicCreate, segmentCreate, segmentDelete, segmentUpdate } from "./segments";
import { webPixelCreate, webPixelQuery, webPixelUpdate } from "./pixels";
import { flowTriggerReceive } from "./flow";
import { customerSegmentMembers, segmentFilters } from "./segment-members";

function requireScope(shop: EmulatedShop, scope: string, field: string): void {
  if (!shop.hasScope(scope))
    throw new GraphQLError(`Access denied for ${field} field. Required access: \`${scope}\` access scope.`, {
      extensions: { code: "ACCESS_DENIED" },
    });
}
import { connection, customerNode, orderNode } from "./shapes";
import { protectCustomerNode, requireLevel1 } from "./protected-data";
import { parseCustomerQuery, parseOrderQuery, processedAtBounds } from "./search-query";

/**
 * Like Shopify, ordersCount/customersCount stop at `limit` (10 000 when the argument is left out, no limit when it
 * is null) and then say the count is AT_LEAST that; below the limit the count is EXACT.
 */
export function limitedCount(count: number, limitArg: number | null | undefined) {
  const limit = limitArg === undefined ? 10_000 : limitArg;
  return limit !== null && count > limit ? { count: limit, precision: "AT_LEAST" } : { count, precision: "EXACT" };
}

/**
 * Root values for the Admin API as the emulator serves it. graphql-js calls a
 * function-valued property with (args, context, info); plain properties are
 * returned as they are. Fields not listed here answer a clear
 * "not implemented by the emulator" error instead of a wrong null.
 */
export function queryRoot(shop: EmulatedShop): Record<string, unknown> {
  return {
    shop: () => ({
      id: `gid://shopify/Shop/${shopNumericId(shop)}`,
      name: shop.name,
      email: shop.email,
      contactEmail: shop.email,
      myshopifyDomain: shop.domain,
      currencyCode: shop.currencyCode,
      ianaTimezone: shop.ianaTimezone,
      plan: {
        publicDisplayName: shop.planDisplayName,
        displayName: shop.planDisplayName,
        shopifyPlus: shop.plan === "plus" || shop.plan === "enterprise",
        partnerDevelopment: false,
      },
    }),
    customersCount: (args: { query?: string; limit?: number | null }) => {
      let count = 0;
      if (!args.query) count = shop.dataset.spec.customers;
      else {
        const filter = parseCustomerQuery(args.query);
        for (const customer of shop.customers())
          if (filter({ customer, updatedAt: shop.customerUpdated(customer) })) count++;
      }
      return limitedCount(count, args.limit);
    },
    ordersCount: (args: { query?: string; limit?: number | null }) => {
      let count = 0;
      const byProcessedAt = processedAtBounds(args.query);
      if (!args.query) count = shop.ordersCount();
      else if (byProcessedAt) count = byProcessedAt(shop.processedAtSorted());
      else {
        const filter = parseOrderQuery(args.query);
        for (const o of shop.orders()) if (filter(o)) count++;
      }
      return limitedCount(count, args.limit);
    },
    orders: (args: { first?: number; last?: number; query?: string }) => {
      if (args.first === undefined && args.last === undefined) throw new Error("you must provide one of first or last");
      const size = args.first ?? args.last ?? 0;
      if (size > 250) throw new Error("The first/last argument must not exceed 250");
      requireLevel1(shop.protectedCustomerData, "Order");
      const filter = parseOrderQuery(args.query);
      const now = shop.clock();
      const cutoff = shop.hasScope("read_all_orders") ? Number.NEGATIVE_INFINITY : now - 60 * 86_400_000;
      const page = [];
      for (const o of shop.orders()) {
        if (o.createdAt.getTime() >= cutoff && filter(o)) page.push(orderNode(o, now));
        if (page.length > size) break;
      }
      return connection(page, { first: size });
    },
    segments: (args: { first?: number; query?: string }) => {
      if (args.first === undefined) throw new Error("you must provide one of first or last");
      if (args.first > 250) throw new Error("The first/last argument must not exceed 250");
      const wanted = args.query ? /^name:'(.*)'$/.exec(args.query)?.[1] : undefined;
      if (args.query && wanted === undefined)
        throw new Error(`segments(query:) supports name:'…' only in the emulator`);
      const all = [...shop.segments.values()].filter((s) => wanted === undefined || s.name === wanted);
      return connection(all, { first: args.first });
    },
    segment: ({ id }: { id: string }) => shop.segments.get(id) ?? null,
    customerSegmentMembers: (args: Parameters<typeof customerSegmentMembers>[1]) => {
      requireScope(shop, "read_customers", "customerSegmentMembers");
      requireLevel1(shop.protectedCustomerData, "Customer");
      return customerSegmentMembers(shop, args);
    },
    segmentFilters: (args: Parameters<typeof segmentFilters>[1]) => {
      requireScope(shop, "read_customers", "segmentFilters");
      return segmentFilters(shop, args);
    },
    customer: ({ id }: { id: string }) => {
      const m = /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(id);
      if (!m) throw new Error("Invalid global id");
      requireScope(shop, "read_customers", "customer");
      requireLevel1(shop.protectedCustomerData, "Customer");
      const customer = shop.customer(Number(m[1]));
      if (!customer) return null;
      // Shopify's predictions are its own black box: tests set them per customer; otherwise none yet.
      const statistics = shop.customerStatistics.get(customer.id) ?? { predictedSpendTier: null, rfmGroup: null };
      return protectCustomerNode(
        { ...customerNode(customer, shop.customerUpdated(customer), shop.customerTagList(customer)), statistics },
        shop.protectedCustomerData,
      );
    },
    // The first customers in id order (no query or sort support: what the app's access check reads).
    customers: (args: { first?: number; last?: number; query?: string }) => {
      if (args.first === undefined && args.last === undefined) throw new Error("you must provide one of first or last");
      if ((args.first ?? args.last ?? 0) > 250) throw new Error("The first/last argument must not exceed 250");
      if (args.query) throw new Error("customers(query:) is not implemented by the emulator");
      requireScope(shop, "read_customers", "customers");
      requireLevel1(shop.protectedCustomerData, "Customer");
      const size = args.first ?? args.last ?? 0;
      const page = [];
      for (let index = 0; page.length <= size && index < shop.dataset.spec.customers; index++)
        page.push(shop.dataset.customer(index));
      return connection(
        page.map((c) =>
          protectCustomerNode(
            customerNode(c, shop.customerUpdated(c), shop.customerTagList(c)),
            shop.protectedCustomerData,
          ),
        ),
        args,
      );
    },
    // Customers and orders only (what the app asks for); any other type answers null, as for an id the shop does not
    // have. Orders past 60 days need read_all_orders, as in the orders connection.
    nodes: ({ ids }: { ids: string[] }) => {
      if (ids.length > 250) throw new Error("The ids argument must not exceed 250 ids");
      const now = shop.clock();
      return ids.map((id) => {
        const o = /^gid:\/\/shopify\/Order\/(\d+)$/.exec(id);
        if (o) {
          requireScope(shop, "read_orders", "nodes");
          requireLevel1(shop.protectedCustomerData, "Order");
          const order = shop.order(Number(o[1]));
          const visible =
            order && (shop.hasScope("read_all_orders") || order.createdAt.getTime() >= now - 60 * 86_400_000);
          return visible ? orderNode(order, now) : null;
        }
        const m = /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(id);
        if (!m) return null;
        requireScope(shop, "read_customers", "nodes");
        requireLevel1(shop.protectedCustomerData, "Customer");
        const customer = shop.customer(Number(m[1]));
        return customer
          ? protectCustomerNode(
              customerNode(customer, shop.customerUpdated(customer), shop.customerTagList(customer)),
              shop.protectedCustomerData,
            )
          : null;
      });
    },
    webPixel: (args: { id?: string | null }) => webPixelQuery(shop, args),
    bulkOperation: ({ id }: { id: string }) => {
      const op = shop.bulkOperations.get(id);
      return op ? bulkOperationNode(op) : null;
    },
    currentBulkOperation: ({ type }: { type?: "QUERY" | "MUTATION" }) => {
      const all = [...shop.bulkOperations.values()].filter((op) => op.type === (type ?? "QUERY"));
      const last = all.at(-1);
      return last ? bulkOperationNode(last) : null;
    },
    bulkOperations: (args: { first?: number | null; last?: number | null; query?: string | null; reverse?: boolean }) =>
      bulkOperationsConnection([...shop.bulkOperations.values()], args),
  };
}

/** Shopify's tag rules (customers): at most 255 characters each, 250 tags per customer. */
const MAX_TAG_LENGTH = 255;
const MAX_TAGS = 250;

function normaliseTags(tags: string[]): { tags: string[]; error: string | null } {
  // Shopify splits on commas and trims, so "a, b" is two tags.
  const out = tags
    .flatMap((t) => t.split(","))
    .map((t) => t.trim())
    .filter(Boolean);
  const long = out.find((t) => t.length > MAX_TAG_LENGTH);
  return { tags: out, error: long ? `Tags is too long (maximum is ${MAX_TAG_LENGTH} characters)` : null };
}

export interface MutationHooks {
  /** A customer's tags changed: Shopify then sends customers/update (the echo of our own write). */
  onCustomerTagsChanged?: (customerId: number, tags: string[]) => void;
  /** When the request whose mutations these are reached the emulator (ms since epoch). */
  requestedAt?: number;
}

/** tagsAdd / tagsRemove on a customer; other taggable resources are not emulated. */
function tagsMutation(shop: EmulatedShop, hooks: MutationHooks, kind: "add" | "remove") {
  return ({ id, tags }: { id: string; tags: string[] }) => {
    const m = /^gid:\/\/shopify\/(\w+)\/(\d+)$/.exec(id);
    if (!m) return { node: null, userErrors: [{ field: ["id"], message: "Invalid global id" }] };
    if (m[1] !== "Customer")
      throw new Error(`tags${kind === "add" ? "Add" : "Remove"} on ${m[1]} is not implemented by the emulator`);
    requireScope(shop, "write_customers", `tags${kind === "add" ? "Add" : "Remove"}`);
    requireLevel1(shop.protectedCustomerData, "Customer");
    const customer = shop.customer(Number(m[2]));
    if (!customer) return { node: null, userErrors: [{ field: ["id"], message: "Customer does not exist" }] };
    const { tags: given, error } = normaliseTags(tags);
    if (error) return { node: null, userErrors: [{ field: ["tags"], message: error }] };
    const current = shop.customerTagList(customer);
    // Tags compare case-insensitively on Shopify.
    const has = new Set(current.map((t) => t.toLowerCase()));
    let next: string[];
    if (kind === "add") {
      next = [...current];
      for (const t of given) {
        if (has.has(t.toLowerCase())) continue;
        next.push(t);
        has.add(t.toLowerCase());
      }
      if (next.length > MAX_TAGS)
        return {
          node: null,
          userErrors: [{ field: ["tags"], message: `A customer can have at most ${MAX_TAGS} tags` }],
        };
    } else {
      const drop = new Set(given.map((t) => t.toLowerCase()));
      next = current.filter((t) => !drop.has(t.toLowerCase()));
    }
    if (next.length !== current.length || next.some((t, i) => t !== current[i])) {
      shop.setCustomerTags(customer.id, next);
      shop.tagWrites.push({
        customerId: customer.id,
        tags: next,
        requestedAt: hooks.requestedAt ?? Date.now(),
        appliedAt: Date.now(),
      });
      // Trimmed in chunks: splicing one entry off a 100 000-entry array per write moved the whole array each time.
      if (shop.tagWrites.length > 110_000) shop.tagWrites.splice(0, shop.tagWrites.length - 100_000);
      hooks.onCustomerTagsChanged?.(customer.id, next);
    }
    return { node: { __typename: "Customer", id }, userErrors: [] };
  };
}

export function mutationRoot(
  shop: EmulatedShop,
  bulk: Omit<BulkContext, "shop">,
  hooks: MutationHooks = {},
): Record<string, unknown> {
  const root: Record<string, unknown> = {
    stagedUploadsCreate: ({ input }: { input: Parameters<typeof stagedUploadsCreate>[2] }) => {
      if (!bulk.uploadUrl) throw new Error("the emulator has no upload url");
      return stagedUploadsCreate(shop, bulk.uploadUrl, input);
    },
    bulkOperationRunMutation: ({ mutation, stagedUploadPath }: { mutation: string; stagedUploadPath: string }) => {
      const { op, userErrors } = startBulkMutation(
        { ...bulk, shop, mutationRoot: () => root },
        mutation,
        stagedUploadPath,
      );
      return { bulkOperation: op ? bulkOperationNode(op) : null, userErrors };
    },
    metafieldDefinitionCreate: (args: Parameters<typeof metafieldDefinitionCreate>[1]) => {
      requireScope(shop, "write_customers", "metafieldDefinitionCreate");
      return metafieldDefinitionCreate(shop, args);
    },
    metafieldsDelete: (args: Parameters<typeof metafieldsDelete>[1]) => {
      requireScope(shop, "write_customers", "metafieldsDelete");
      return metafieldsDelete(shop, args);
    },
    segmentDelete: (args: Parameters<typeof segmentDelete>[1]) => {
      requireScope(shop, "write_customers", "segmentDelete");
      return segmentDelete(shop, args);
    },
    metafieldsSet: (args: Parameters<typeof metafieldsSet>[1]) => {
      requireScope(shop, "write_customers", "metafieldsSet");
      return metafieldsSet(shop, args);
    },
    segmentCreate: (args: Parameters<typeof segmentCreate>[1]) => {
      requireScope(shop, "write_customers", "segmentCreate");
      return segmentCreate(shop, args);
    },
    segmentUpdate: (args: Parameters<typeof segmentUpdate>[1]) => {
      requireScope(shop, "write_customers", "segmentUpdate");
      return segmentUpdate(shop, args);
    },
    discountCodeBasicCreate: (args: Parameters<typeof discountCodeBasicCreate>[1]) => {
      requireScope(shop, "write_discounts", "discountCodeBasicCreate");
      return discountCodeBasicCreate(shop, args);
    },
    flowTriggerReceive: (args: Parameters<typeof flowTriggerReceive>[1]) => flowTriggerReceive(shop, args),
    webPixelCreate: (args: Parameters<typeof webPixelCreate>[1]) => webPixelCreate(shop, args),
    webPixelUpdate: (args: Parameters<typeof webPixelUpdate>[1]) => webPixelUpdate(shop, args),
    tagsAdd: tagsMutation(shop, hooks, "add"),
    tagsRemove: tagsMutation(shop, hooks, "remove"),
    bulkOperationRunQuery: ({ query, groupObjects }: { query: string; groupObjects: boolean }) => {
      const { op, userErrors } = startBulkQuery({ ...bulk, shop }, query, groupObjects);
      return { bulkOperation: op ? bulkOperationNode(op) : null, userErrors };
    },
    bulkOperationCancel: ({ id }: { id: string }) => {
      const op = shop.bulkOperations.get(id);
      if (!op)
        return { bulkOperation: null, userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }] };
      if (op.status === "RUNNING" || op.status === "CREATED") op.status = "CANCELING";
      return { bulkOperation: bulkOperationNode(op), userErrors: [] };
    },
  };
  return root;
}

function shopNumericId(shop: EmulatedShop): number {
  let h = 0;
  for (const ch of shop.domain) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return 60_000_000_000 + (h % 1_000_000_000);
}
