import { ADMIN_API_VERSION } from "./admin-client.server";
import { BULK_OPERATION_STATUS, CURRENT_BULK_MUTATION } from "./operations/bulk-operations";
import { CUSTOMER_NODES, CUSTOMER_STATISTICS } from "./operations/customers";
import { FIRST_ORDER_CUSTOMER, ORDERS_COUNT } from "./operations/orders";
import { SEGMENT_BY_ID, SEGMENT_BY_NAME, SEGMENT_CREATE, SEGMENT_DELETE, SEGMENT_UPDATE } from "./operations/segments";
import { SHOP_INFO_QUERY } from "./operations/shop";
import { WEB_PIXEL } from "./operations/web-pixel";

/**
 * The smoke test of the app's documents against a real store (npm run
 * smoke:shopify): every read document the app sends, run on the store and on
 * the Admin API emulator, and the two answers compared in shape — fields
 * missing or extra, null on one side only, other types. Values are the
 * stores' own and are not compared.
 */

export type Send = (document: string, variables?: Record<string, unknown>) => Promise<unknown>;

/** Sends documents to a shop's Admin API over HTTPS (`dispatcher`: where that origin really goes). */
export function httpSender(options: { shop: string; token: string; dispatcher?: unknown }): Send {
  const url = `https://${options.shop}/admin/api/${ADMIN_API_VERSION}/graphql.json`;
  return async (query, variables = {}) => {
    const init: RequestInit & { dispatcher?: unknown } = {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": options.token },
      body: JSON.stringify({ query, variables }),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    };
    const response = await fetch(url, init);
    const body = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    if (!response.ok || !Array.isArray(body.errors ?? [])) {
      throw new Error(`${options.shop} answered HTTP ${response.status}: ${JSON.stringify(body.errors ?? body)}`);
    }
    // A GraphQL error is an answer too (webPixel answers NOT_FOUND on a shop without one): its codes are compared.
    if (body.errors) return { data: body.data ?? null, errors: body.errors.map((e) => e.extensions?.code ?? "ERROR") };
    return body.data;
  };
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** Where two answers differ in shape, as `path: what`. Arrays compare their first elements. */
export function shapeDifferences(target: unknown, reference: unknown, at = ""): string[] {
  const a = kindOf(target);
  const b = kindOf(reference);
  if (a === "null" && b === "null") return [];
  if (a === "null" || b === "null")
    return [`${at || "."}: ${a === "null" ? "null in the store" : "null in the emulator"}`];
  if (a !== b) return [`${at || "."}: ${a} in the store, ${b} in the emulator`];
  // Error codes are the shape of a refusal: compared as values.
  if (at.endsWith(".errors") && JSON.stringify(target) !== JSON.stringify(reference))
    return [`${at}: ${JSON.stringify(target)} in the store, ${JSON.stringify(reference)} in the emulator`];
  if (a === "array") {
    const [x] = target as unknown[];
    const [y] = reference as unknown[];
    if (x === undefined || y === undefined) return [];
    return shapeDifferences(x, y, `${at}[0]`);
  }
  if (a !== "object") return [];
  const left = target as Record<string, unknown>;
  const right = reference as Record<string, unknown>;
  const out: string[] = [];
  for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
    if (!(key in right)) out.push(`${at}.${key}: only in the store`);
    else if (!(key in left)) out.push(`${at}.${key}: only in the emulator`);
    else out.push(...shapeDifferences(left[key], right[key], `${at}.${key}`));
  }
  return out;
}

interface Probe {
  name: string;
  run(send: Send): Promise<unknown>;
}

function firstCustomerId(data: unknown): string | null {
  const parsed = data as { orders?: { nodes?: { customer?: { id?: string } | null }[] } };
  return parsed.orders?.nodes?.[0]?.customer?.id ?? null;
}

const UNKNOWN_CUSTOMER = "gid://shopify/Customer/1";

const READS: Probe[] = [
  { name: "ShopInfo", run: (send) => send(SHOP_INFO_QUERY) },
  { name: "OrdersCount", run: (send) => send(ORDERS_COUNT, { query: null }) },
  {
    name: "RfmPixelCustomers",
    run: async (send) =>
      send(CUSTOMER_NODES, { ids: [firstCustomerId(await send(FIRST_ORDER_CUSTOMER)) ?? UNKNOWN_CUSTOMER] }),
  },
  {
    name: "RfmBlockStatistics",
    run: async (send) =>
      send(CUSTOMER_STATISTICS, { id: firstCustomerId(await send(FIRST_ORDER_CUSTOMER)) ?? UNKNOWN_CUSTOMER }),
  },
  { name: "RfmSegmentByName", run: (send) => send(SEGMENT_BY_NAME, { query: "name:'RFM · Champions'" }) },
  { name: "RfmWebPixel", run: (send) => send(WEB_PIXEL) },
  {
    name: "BulkMutationCurrent + BulkOperationStatus",
    run: async (send) => {
      const current = (await send(CURRENT_BULK_MUTATION)) as { bulkOperations?: { nodes?: { id?: string }[] } };
      const id = current.bulkOperations?.nodes?.[0]?.id;
      return { current, status: id ? await send(BULK_OPERATION_STATUS, { id }) : null };
    },
  },
];

/** Writes (only with --write): a throw-away segment created, renamed, read back and deleted. */
const WRITES: Probe[] = [
  {
    name: "RfmSegmentCreate/Update/ById/Delete",
    run: async (send) => {
      const name = `RFM smoke ${Date.now()}`;
      const query = "customer_tags CONTAINS 'rfm-smoke'";
      const created = (await send(SEGMENT_CREATE, { name, query })) as {
        segmentCreate?: { segment?: { id?: string } | null } | null;
      };
      const id = created.segmentCreate?.segment?.id;
      if (!id) return { created };
      const updated = await send(SEGMENT_UPDATE, { id, name: `${name} (renamed)` });
      const read = await send(SEGMENT_BY_ID, { id });
      const deleted = await send(SEGMENT_DELETE, { id });
      return { created, updated, read, deleted };
    },
  },
];

export interface SmokeReport {
  checked: string[];
  differences: string[];
}

export async function smokeShopify(target: Send, reference: Send, options: { write: boolean }): Promise<SmokeReport> {
  const report: SmokeReport = { checked: [], differences: [] };
  for (const probe of [...READS, ...(options.write ? WRITES : [])]) {
    const [store, emulator] = [await probe.run(target), await probe.run(reference)];
    report.checked.push(probe.name);
    report.differences.push(...shapeDifferences(store, emulator).map((d) => `${probe.name} ${d}`));
  }
  return report;
}
