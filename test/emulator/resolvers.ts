import type { EmulatedShop } from "./shop-state";
import { bulkOperationNode, startBulkQuery, type BulkContext } from "./bulk";
import { connection, orderNode } from "./shapes";
import { parseOrderQuery } from "./search-query";

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
    customersCount: () => ({ count: shop.dataset.spec.customers, precision: "EXACT" }),
    // Like Shopify, counts stop at `limit` (10 000 unless null) and say so.
    ordersCount: (args: { query?: string; limit?: number | null }) => {
      let count = 0;
      if (!args.query) count = shop.ordersCount();
      else {
        const filter = parseOrderQuery(args.query);
        for (const o of shop.orders()) if (filter(o)) count++;
      }
      const limit = args.limit === undefined ? 10_000 : args.limit;
      return limit !== null && count > limit ? { count: limit, precision: "AT_LEAST" } : { count, precision: "EXACT" };
    },
    orders: (args: { first?: number; last?: number; query?: string }) => {
      if (args.first === undefined && args.last === undefined) throw new Error("you must provide one of first or last");
      const size = args.first ?? args.last ?? 0;
      if (size > 250) throw new Error("The first/last argument must not exceed 250");
      const filter = parseOrderQuery(args.query);
      const cutoff = shop.hasScope("read_all_orders") ? Number.NEGATIVE_INFINITY : Date.now() - 60 * 86_400_000;
      const page = [];
      for (const o of shop.orders()) {
        if (o.createdAt.getTime() >= cutoff && filter(o)) page.push(orderNode(o));
        if (page.length > size) break;
      }
      return connection(page, { first: size });
    },
    bulkOperation: ({ id }: { id: string }) => {
      const op = shop.bulkOperations.get(id);
      return op ? bulkOperationNode(op) : null;
    },
    currentBulkOperation: () => {
      const all = [...shop.bulkOperations.values()];
      const last = all.at(-1);
      return last ? bulkOperationNode(last) : null;
    },
  };
}

export function mutationRoot(shop: EmulatedShop, bulk: Omit<BulkContext, "shop">): Record<string, unknown> {
  return {
    bulkOperationRunQuery: ({ query, groupObjects }: { query: string; groupObjects: boolean }) => {
      const { op, userErrors } = startBulkQuery({ ...bulk, shop }, query, groupObjects);
      return { bulkOperation: op ? bulkOperationNode(op) : null, userErrors };
    },
    bulkOperationCancel: ({ id }: { id: string }) => {
      const op = shop.bulkOperations.get(id);
      if (!op) return { bulkOperation: null, userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }] };
      if (op.status === "RUNNING" || op.status === "CREATED") op.status = "CANCELING";
      return { bulkOperation: bulkOperationNode(op), userErrors: [] };
    },
  };
}

function shopNumericId(shop: EmulatedShop): number {
  let h = 0;
  for (const ch of shop.domain) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return 60_000_000_000 + (h % 1_000_000_000);
}
