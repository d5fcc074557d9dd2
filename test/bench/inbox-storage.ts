// npm run bench:inbox-storage -- [--rows 200000]
// The webhook inbox's storage per million webhooks: N rows of a realistic mix (orders/create and orders/updated with
// line items, discount codes and refunds, refunds/create, customers/update; bodies from the emulator's REST shapes)
// written to WebhookInbox on a scratch database, measured as received (pending) and after the applier marked them
// applied; once with full payloads and once with include_fields-trimmed ones. pg_table_size (heap + TOAST) and
// pg_indexes_size apart, scaled to a million rows. Last line: RESULT key=value …
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import pg from "pg";
import { DEFAULT_DATASET, ShopDataset, type GeneratedOrder } from "../emulator/generator";
import { customerPayload, orderPayload, refundPayload } from "../emulator/shapes";
import { includeFields } from "../emulator/webhook-filter";
import { benchDatabase } from "./bench-database";

const { values } = parseArgs({ options: { rows: { type: "string", default: "200000" } } });
const ROWS = Number(values.rows);
if (!Number.isInteger(ROWS) || ROWS < 1000) throw new Error("--rows must be a whole number ≥ 1000");
const SHOP = "bench-inbox-storage.myshopify.com";
const CHUNK = 2_000;
const say = (line: string) => process.stdout.write(`${line}\n`);

/** What the app's topic schemas read (app/domain/orders.ts RestOrder, the customer patch): an include_fields list. */
const ORDER_FIELDS = [
  "id",
  "name",
  "created_at",
  "processed_at",
  "updated_at",
  "cancelled_at",
  "test",
  "currency",
  "total_price_set",
  "current_total_price_set",
  "discount_codes.code",
  "customer.id",
  "line_items.id",
  "line_items.product_id",
  "line_items.vendor",
  "line_items.quantity",
  "line_items.price",
  "refunds.id",
  "refunds.order_id",
  "refunds.created_at",
  "refunds.transactions",
];
const CUSTOMER_FIELDS = [
  "id",
  "email",
  "first_name",
  "last_name",
  "locale",
  "tags",
  "created_at",
  "updated_at",
  "phone",
  "email_marketing_consent",
  "sms_marketing_consent",
  "default_address.country_code",
];

interface Row {
  topic: string;
  body: string;
  customerId: number | null;
  orderId: number;
}

/** The delivery mix of a busy shop: creates, updates (fulfilment, payment), refunds, customer updates. */
function* deliveries(trimmed: boolean): Generator<Row> {
  const dataset = new ShopDataset({ ...DEFAULT_DATASET, seed: 14 });
  const customers = [...dataset.customers()];
  const orders: { order: GeneratedOrder; customer: (typeof customers)[number] | undefined }[] = [];
  for (const c of customers) for (const o of dataset.ordersOfCustomer(c.index)) orders.push({ order: o, customer: c });
  const trim = (payload: object, fields: string[]) =>
    JSON.stringify(trimmed ? includeFields(JSON.parse(JSON.stringify(payload)) as never, fields) : payload);
  for (let i = 0; ; i++) {
    const { order, customer } = orders[i % orders.length] ?? { order: undefined, customer: undefined };
    if (!order) throw new Error("the dataset has no orders");
    const slot = i % 20;
    if (slot < 11)
      yield {
        topic: "orders/create",
        body: trim(orderPayload(order, customer), ORDER_FIELDS),
        customerId: order.customerId,
        orderId: order.id,
      };
    else if (slot < 17)
      yield {
        topic: "orders/updated",
        body: trim(orderPayload(order, customer), ORDER_FIELDS),
        customerId: order.customerId,
        orderId: order.id,
      };
    else if (slot < 18 && order.refunds[0])
      yield {
        topic: "refunds/create",
        body: JSON.stringify(refundPayload(order, order.refunds[0])),
        customerId: null,
        orderId: order.id,
      };
    else if (customer)
      yield {
        topic: "customers/update",
        body: trim(customerPayload(customer, order.updatedAt, customer.tags), CUSTOMER_FIELDS),
        customerId: customer.id,
        orderId: order.id,
      };
  }
}

function headersFor(topic: string, webhookId: string, eventId: string): string {
  return JSON.stringify({
    "x-shopify-topic": topic,
    "x-shopify-shop-domain": SHOP,
    "x-shopify-webhook-id": webhookId,
    "x-shopify-event-id": eventId,
    "x-shopify-api-version": "2026-10",
    "x-shopify-triggered-at": new Date().toISOString(),
  });
}

async function fill(pool: pg.Pool, trimmed: boolean): Promise<number> {
  let bodyBytes = 0;
  const source = deliveries(trimmed);
  for (let done = 0; done < ROWS;) {
    const n = Math.min(CHUNK, ROWS - done);
    const cols = {
      webhookId: [] as string[],
      topic: [] as string[],
      eventId: [] as string[],
      headers: [] as string[],
      body: [] as string[],
      customerId: [] as (string | null)[],
      orderId: [] as string[],
    };
    for (let k = 0; k < n; k++) {
      const row = source.next().value;
      if (!row) throw new Error("delivery source ended");
      const webhookId = randomUUID();
      const eventId = randomUUID();
      cols.webhookId.push(webhookId);
      cols.topic.push(row.topic);
      cols.eventId.push(eventId);
      cols.headers.push(headersFor(row.topic, webhookId, eventId));
      cols.body.push(row.body);
      cols.customerId.push(row.customerId === null ? null : String(row.customerId));
      cols.orderId.push(String(row.orderId));
      bodyBytes += Buffer.byteLength(row.body);
    }
    await pool.query(
      `INSERT INTO "WebhookInbox" (shop, "webhookId", topic, "eventId", headers, body, "customerId", "orderId")
       SELECT $1, w, t, e, h::jsonb, b, c, o FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[]) AS x(w, t, e, h, b, c, o)`,
      [SHOP, cols.webhookId, cols.topic, cols.eventId, cols.headers, cols.body, cols.customerId, cols.orderId],
    );
    done += n;
  }
  return bodyBytes / ROWS;
}

interface Sizes {
  table: number;
  indexes: number;
  total: number;
}

async function sizes(pool: pg.Pool): Promise<Sizes> {
  const { rows } = await pool.query<{ table: string; indexes: string; total: string }>(
    `SELECT pg_table_size('"WebhookInbox"') AS table, pg_indexes_size('"WebhookInbox"') AS indexes, pg_total_relation_size('"WebhookInbox"') AS total`,
  );
  const r = rows[0];
  if (!r) throw new Error("no sizes");
  const perMillion = (bytes: string) => Math.round((Number(bytes) / ROWS) * 1_000_000);
  return { table: perMillion(r.table), indexes: perMillion(r.indexes), total: perMillion(r.total) };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

async function main() {
  const database = await benchDatabase("rfm_bench_inbox_storage");
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  const result: Record<string, number> = {};
  for (const variant of ["full", "trimmed"] as const) {
    await pool.query(`TRUNCATE "WebhookInbox"`);
    await pool.query(`VACUUM "WebhookInbox"`);
    const avgBody = await fill(pool, variant === "trimmed");
    await pool.query(`VACUUM ANALYZE "WebhookInbox"`);
    const received = await sizes(pool);
    // What the applier does to every row: applied, with its batch (one UPDATE per batch of ~500).
    await pool.query(`UPDATE "WebhookInbox" SET "appliedAt" = now(), "batchId" = seq / 500 + 1`);
    const applied = await sizes(pool);
    await pool.query(`VACUUM "WebhookInbox"`);
    say(
      `${variant}: body ${Math.round(avgBody)} B avg; per million rows as received: table ${mb(received.table)}, indexes ${mb(received.indexes)}, total ${mb(received.total)}; after apply (before vacuum reuses the old versions): total ${mb(applied.total)} (indexes ${mb(applied.indexes)})`,
    );
    result[`${variant}_body_bytes`] = Math.round(avgBody);
    result[`${variant}_table_bytes_per_million`] = received.table;
    result[`${variant}_index_bytes_per_million`] = received.indexes;
    result[`${variant}_bytes_per_million`] = received.total;
    result[`${variant}_applied_bytes_per_million`] = applied.total;
  }
  await pool.end();
  await database.stop();
  say(
    `RESULT rows=${ROWS} bytes_per_million=${result.full_bytes_per_million} ${Object.entries(result)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ")}`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
