import type { Db, DbTx } from "../../platform/db.server";

/**
 * customers/data_request: everything the app holds on one customer in one shop, table by table.
 * Every table with a customer key is read here (test/webhooks/data-request-export.test.ts finds those tables in
 * prisma/schema.prisma and fails when one is missing), and orders come with their lines and refunds.
 */
export interface CustomerDataExport {
  shop: string;
  customerId: string;
  exportedAt: string;
  /** The data request this export answers (its webhook id), when there is one. */
  request: { webhookId: string; receivedAt: string } | null;
  /** Rows per table (model name as in prisma/schema.prisma); values are JSON-safe (BigInt and Decimal as strings). */
  tables: Record<string, unknown[]>;
}

type Client = Db | DbTx;

/** ComplianceRequest.topic as received: the Shopify library's form ("CUSTOMERS_DATA_REQUEST") or the REST one. */
const DATA_REQUEST_TOPICS = ["CUSTOMERS_DATA_REQUEST", "customers/data_request"];

/** Every customer-keyed table, by model name: how to read one customer's rows (orderIds: their orders). */
const customerTables: Record<string, (db: Client, shop: string, id: bigint, orderIds: bigint[]) => Promise<unknown[]>> =
  {
    Customer: (db, shop, id) => db.customer.findMany({ where: { shop, id } }),
    CustomerAggregate: (db, shop, customerId) => db.customerAggregate.findMany({ where: { shop, customerId } }),
    CustomerScore: (db, shop, customerId) => db.customerScore.findMany({ where: { shop, customerId } }),
    CustomerPrediction: (db, shop, customerId) => db.customerPrediction.findMany({ where: { shop, customerId } }),
    SegmentMembership: (db, shop, customerId) =>
      db.segmentMembership.findMany({ where: { shop, customerId }, orderBy: { id: "asc" } }),
    CustomerEngagement: (db, shop, customerId) => db.customerEngagement.findMany({ where: { shop, customerId } }),
    CustomerEngagementSignal: (db, shop, customerId) =>
      db.customerEngagementSignal.findMany({ where: { shop, customerId } }),
    CustomerVisitDay: (db, shop, customerId) =>
      db.customerVisitDay.findMany({ where: { shop, customerId }, orderBy: { day: "asc" } }),
    CustomerBrowsing: (db, shop, customerId) => db.customerBrowsing.findMany({ where: { shop, customerId } }),
    // Which insight groups (first product, channel, coupon group, cohort…) list them.
    InsightMember: (db, shop, customerId) =>
      db.insightMember.findMany({ where: { shop, customerId }, orderBy: [{ dim: "asc" }, { key: "asc" }] }),
    PendingPixelVisit: (db, shop, customerId) => db.pendingPixelVisit.findMany({ where: { shop, customerId } }),
    PendingRescore: (db, shop, customerId) => db.pendingRescore.findMany({ where: { shop, customerId } }),
    WriteBackPending: (db, shop, customerId) => db.writeBackPending.findMany({ where: { shop, customerId } }),
    CustomerTagState: (db, shop, customerId) => db.customerTagState.findMany({ where: { shop, customerId } }),
    CustomerMetafieldState: (db, shop, customerId) =>
      db.customerMetafieldState.findMany({ where: { shop, customerId } }),
    FlowTriggerEvent: (db, shop, customerId) =>
      db.flowTriggerEvent.findMany({ where: { shop, customerId }, orderBy: { id: "asc" } }),
    CustomerMerge: (db, shop, id) =>
      db.customerMerge.findMany({ where: { shop, OR: [{ fromId: id }, { intoId: id }] } }),
    ComplianceRequest: (db, shop, customerId) =>
      db.complianceRequest.findMany({ where: { shop, customerId }, orderBy: { receivedAt: "asc" } }),
    Order: (db, shop, _id, orderIds) =>
      db.order.findMany({ where: { shop, id: { in: orderIds } }, orderBy: { createdAt: "asc" } }),
    OrderLine: (db, shop, _id, orderIds) =>
      db.orderLine.findMany({
        where: { shop, orderId: { in: orderIds } },
        orderBy: [{ orderId: "asc" }, { id: "asc" }],
      }),
    OrderJourney: (db, shop, _id, orderIds) =>
      db.orderJourney.findMany({ where: { shop, orderId: { in: orderIds } }, orderBy: { orderId: "asc" } }),
    Refund: (db, shop, _id, orderIds) =>
      db.refund.findMany({ where: { shop, orderId: { in: orderIds } }, orderBy: { createdAt: "asc" } }),
    // Webhook payloads about them or their orders still in the inbox (applied ones are pruned after a few hours;
    // customers/redact empties the body, so a redacted customer's rows hold nothing and are left out).
    WebhookInbox: (db, shop, customerId, orderIds) =>
      db.webhookInbox.findMany({
        where: { shop, body: { not: null }, OR: [{ customerId }, { orderId: { in: orderIds } }] },
        orderBy: { seq: "asc" },
      }),
  };

/** The model names the export reads (for the discovery test). */
export const exportedTables = Object.keys(customerTables);

/** BigInt → string; Decimal (has toJSON) and Date serialise themselves. */
function jsonSafe<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));
}

/** Everything the app holds on `customerId` in `shop`, plus the orders Shopify named in the request. */
export async function exportCustomerData(
  db: Client,
  shop: string,
  customerId: bigint,
  ordersRequested: readonly bigint[] = [],
  request: { webhookId: string; receivedAt: Date } | null = null,
): Promise<CustomerDataExport> {
  const owned = await db.order.findMany({ where: { shop, customerId }, select: { id: true } });
  const orderIds = [...new Set([...owned.map((o) => o.id), ...ordersRequested])];
  const tables: Record<string, unknown[]> = {};
  for (const [model, read] of Object.entries(customerTables)) {
    tables[model] = (await read(db, shop, customerId, orderIds)).map(jsonSafe);
  }
  return {
    shop,
    customerId: customerId.toString(),
    exportedAt: new Date().toISOString(),
    request: request ? { webhookId: request.webhookId, receivedAt: request.receivedAt.toISOString() } : null,
    tables,
  };
}

export interface DataRequestRow {
  webhookId: string;
  customerId: string | null;
  ordersRequested: number;
  receivedAt: string;
  /** Rows the app holds on the customer now (0: nothing, or already redacted). */
  rowsHeld: number;
}

/** The shop's customers/data_request rows, newest first, for the merchant's data requests page. */
export async function listDataRequests(db: Db, shop: string, limit = 50): Promise<DataRequestRow[]> {
  const requests = await db.complianceRequest.findMany({
    where: { shop, topic: { in: DATA_REQUEST_TOPICS } },
    orderBy: { receivedAt: "desc" },
    take: limit,
  });
  const rows: DataRequestRow[] = [];
  for (const r of requests) {
    let rowsHeld = 0;
    if (r.customerId !== null) {
      const data = await exportCustomerData(db, shop, r.customerId, r.ordersRequested);
      rowsHeld = Object.entries(data.tables)
        .filter(([model]) => model !== "ComplianceRequest")
        .reduce((n, [, list]) => n + list.length, 0);
    }
    rows.push({
      webhookId: r.webhookId,
      customerId: r.customerId?.toString() ?? null,
      ordersRequested: r.ordersRequested.length,
      receivedAt: r.receivedAt.toISOString(),
      rowsHeld,
    });
  }
  return rows;
}

/** The export for one stored data request of this shop (null: no such request here). */
export async function exportForDataRequest(
  db: Db,
  shop: string,
  webhookId: string,
): Promise<CustomerDataExport | null> {
  const request = await db.complianceRequest.findUnique({ where: { shop_webhookId: { shop, webhookId } } });
  if (!request || !DATA_REQUEST_TOPICS.includes(request.topic) || request.customerId === null) return null;
  return exportCustomerData(db, shop, request.customerId, request.ordersRequested, request);
}
