import type { AdminClient } from "./admin-client.server";
import { CUSTOMER_NODES, CUSTOMER_STATISTICS, CUSTOMERS_COUNT, customersBulkQuery } from "./operations/customers";
import { RUN_BULK_QUERY } from "./operations/bulk-operations";

export const customerGid = (id: bigint | string) => `gid://shopify/Customer/${id}`;

/** The customers among `ids` that Shopify knows in this shop (unknown ids and other types are left out). */
export async function customerNodes(admin: AdminClient, ids: readonly (bigint | string)[]) {
  const data = await admin.request(CUSTOMER_NODES, { ids: ids.map(customerGid) });
  return data.nodes.flatMap((n) => (n && "id" in n && n.id ? [n] : []));
}

/** Shopify's own predictions for a customer (null: no such customer or no statistics). */
export async function customerStatistics(admin: AdminClient, id: bigint | string) {
  return (await admin.request(CUSTOMER_STATISTICS, { id: customerGid(id) })).customer?.statistics ?? null;
}

/** How many customers match the search (null: all), as Shopify counts them (no 10 000 cap). */
export async function customersCount(admin: AdminClient, search: string | null) {
  return (await admin.request(CUSTOMERS_COUNT, { query: search })).customersCount ?? null;
}

/** Starts the bulk export of the customers matching `search`; the payload, userErrors included, is the caller's. */
export async function runCustomersBulkQuery(admin: AdminClient, search: string | null) {
  return (await admin.request(RUN_BULK_QUERY, { query: customersBulkQuery(search) })).bulkOperationRunQuery ?? null;
}
