import type { AdminClient } from "./admin-client.server";
import { BULK_OPERATION_STATUS, RUN_BULK_QUERY } from "./operations/bulk-operations";
import { ORDERS_COUNT, ordersBulkQuery } from "./operations/orders";

/** How many orders match the search (null: all), as Shopify counts them. */
export async function ordersCount(admin: AdminClient, search: string | null) {
  return (await admin.request(ORDERS_COUNT, { query: search })).ordersCount ?? null;
}

/** Starts the bulk export of the orders matching `search`; the payload, userErrors included, is the caller's. */
export async function runOrdersBulkQuery(admin: AdminClient, search: string | null) {
  return (await admin.request(RUN_BULK_QUERY, { query: ordersBulkQuery(search) })).bulkOperationRunQuery ?? null;
}

export async function bulkOperationStatus(admin: AdminClient, id: string) {
  return (await admin.request(BULK_OPERATION_STATUS, { id })).bulkOperation ?? null;
}
