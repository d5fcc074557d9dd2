import type { AdminClient } from "./admin-client.server";
import { BULK_OPERATION_STATUS, BULK_QUERIES_IN_PROGRESS, RUN_BULK_QUERY } from "./operations/bulk-operations";
import { ORDERS_COUNT, ordersBulkQuery, ordersCountsDocument } from "./operations/orders";

/** How many orders match the search (null: all), as Shopify counts them. */
export async function ordersCount(admin: AdminClient, search: string | null) {
  return (await admin.request(ORDERS_COUNT, { query: search })).ordersCount ?? null;
}

/** Requests stay small: Shopify's query cost counts one point per count, and a long document is slow to parse. */
const COUNTS_PER_REQUEST = 50;

/** Exact counts of the orders matching each search (ordersCount with `limit: null`), in as few requests as fit. */
export async function ordersCounts(admin: AdminClient, searches: readonly string[]): Promise<number[]> {
  const counts: number[] = [];
  for (let start = 0; start < searches.length; start += COUNTS_PER_REQUEST) {
    const chunk = searches.slice(start, start + COUNTS_PER_REQUEST);
    const { document, variables } = ordersCountsDocument(chunk);
    const data = await admin.requestRendered<Record<string, { count: number; precision: string } | null>>(
      document,
      variables,
    );
    chunk.forEach((search, i) => {
      const answer = data[`c${i}`];
      if (!answer || answer.precision !== "EXACT")
        throw new Error(`ordersCount(${search}) answered ${answer ? `${answer.precision} ${answer.count}` : "null"}`);
      counts.push(answer.count);
    });
  }
  return counts;
}

/** Starts the bulk export of the orders matching `search`; the payload, userErrors included, is the caller's. */
export async function runOrdersBulkQuery(admin: AdminClient, search: string | null) {
  return (await admin.request(RUN_BULK_QUERY, { query: ordersBulkQuery(search) })).bulkOperationRunQuery ?? null;
}

export async function bulkOperationStatus(admin: AdminClient, id: string) {
  return (await admin.request(BULK_OPERATION_STATUS, { id })).bulkOperation ?? null;
}

/** How many of the app's bulk queries are still created or running on the shop (each counts against the limit). */
export async function bulkQueriesInProgress(admin: AdminClient): Promise<number> {
  const data = await admin.request(BULK_QUERIES_IN_PROGRESS);
  return data.created.nodes.length + data.running.nodes.length;
}
