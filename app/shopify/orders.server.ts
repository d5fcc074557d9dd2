import type { AdminClient } from "./admin-client.server";
import { BULK_OPERATION_STATUS, BULK_QUERIES_IN_PROGRESS, RUN_BULK_QUERY } from "./operations/bulk-operations";
import { ORDER_JOURNEYS, ORDERS_COUNT, ordersBulkQuery, ordersCountsDocument } from "./operations/orders";

/** nodes(ids:) takes at most 250 ids. */
export const MAX_NODE_IDS = 250;

/**
 * The customerJourneySummary of each order among `ids` that Shopify still has (deleted or unknown ids are left out;
 * a summary may be null: Shopify has none for that order). One request, paced by the admin client like every other.
 */
export async function orderJourneys(admin: AdminClient, ids: readonly (bigint | string)[]) {
  if (ids.length > MAX_NODE_IDS) throw new Error(`nodes(ids:) takes at most ${MAX_NODE_IDS} ids, got ${ids.length}`);
  const data = await admin.request(ORDER_JOURNEYS, { ids: ids.map((id) => `gid://shopify/Order/${id}`) });
  return data.nodes.flatMap((n) =>
    n && "customerJourneySummary" in n && "id" in n
      ? [{ id: n.id.slice(n.id.lastIndexOf("/") + 1), summary: n.customerJourneySummary ?? null }]
      : [],
  );
}

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
