import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { once } from "node:events";
import { jsonlLines } from "./jsonl";

/**
 * Streams a bulk-operation JSONL result into PostgreSQL: orders and refunds go into
 * one COPY stream to a staging table (a TEMP table: unlogged, private to the session) while they are parsed, so the
 * database works while we parse, and every `batchLines` lines the batch is upserted into Order and Refund in key
 * order and its progress committed in the same transaction. Line items — two thirds of the rows — are held for the
 * batch and COPYed straight into OrderLine (no staging pass, no per-row ON CONFLICT); should any of them already
 * exist (a webhook got there first, a redone file) the unique index refuses the COPY, it is rolled back to a
 * savepoint and the batch's lines take the staged upsert instead. Memory holds one batch's buffers, whatever the
 * file size; a crashed run resumes after the last committed line, and upserts make a redone batch harmless.
 */

export interface IngestProgress {
  lines: number;
  /** Root objects ingested: orders, or customers for the customers file. */
  orders: number;
}

export interface IngestOptions {
  pool: pg.Pool;
  shop: string;
  runId: string;
  source: AsyncIterable<Uint8Array>;
  /** Lines already committed by an earlier attempt of this run. */
  skipLines?: number;
  ordersAlready?: number;
  batchLines?: number;
  onProgress?: (p: IngestProgress) => void;
  /** A split backfill's range (SyncRange.index): progress goes to that row, and its increment to the run's count. */
  range?: number;
}

const STAGE = `CREATE TEMP TABLE IF NOT EXISTS rfm_stage (
  kind "char", id bigint, parent bigint, customer bigint, name text,
  created_at timestamptz, processed_at timestamptz, updated_at timestamptz, cancelled_at timestamptz, test boolean,
  currency text, total numeric, current_total numeric, refunded numeric, presentment_total numeric, discount_codes text[],
  vendor text, product bigint, quantity int, amount numeric
) ON COMMIT DELETE ROWS`;

const UPSERT_ORDERS = `
INSERT INTO "Order" AS o (shop, id, "customerId", name, "createdAt", "processedAt", "shopifyUpdatedAt", "cancelledAt", test, currency,
  "totalPrice", "currentTotalPrice", "totalRefunded", "presentmentTotalPrice", "discountCodes")
SELECT $1, s.id, coalesce(m."intoId", s.customer), s.name, s.created_at, s.processed_at, s.updated_at, s.cancelled_at, s.test, s.currency,
  s.total, s.current_total, s.refunded, s.presentment_total, s.discount_codes
FROM rfm_stage s LEFT JOIN "CustomerMerge" m ON m.shop = $1 AND m."fromId" = s.customer
WHERE s.kind = 'o'
ORDER BY s.id
ON CONFLICT (shop, id) DO UPDATE SET
  "customerId" = EXCLUDED."customerId", name = EXCLUDED.name, "createdAt" = EXCLUDED."createdAt", "processedAt" = EXCLUDED."processedAt",
  "shopifyUpdatedAt" = EXCLUDED."shopifyUpdatedAt", "cancelledAt" = EXCLUDED."cancelledAt", test = EXCLUDED.test, currency = EXCLUDED.currency,
  "totalPrice" = EXCLUDED."totalPrice", "currentTotalPrice" = EXCLUDED."currentTotalPrice", "totalRefunded" = EXCLUDED."totalRefunded",
  "presentmentTotalPrice" = EXCLUDED."presentmentTotalPrice", "discountCodes" = EXCLUDED."discountCodes"
WHERE o."deletedAt" IS NULL AND o."shopifyUpdatedAt" <= EXCLUDED."shopifyUpdatedAt"`;

const UPSERT_LINES = `
INSERT INTO "OrderLine" (shop, "orderId", id, "productId", vendor, quantity, amount)
SELECT $1, s.parent, s.id, s.product, s.vendor, s.quantity, s.amount FROM rfm_stage s WHERE s.kind = 'l'
ORDER BY s.parent, s.id
ON CONFLICT (shop, "orderId", id) DO UPDATE SET "productId" = EXCLUDED."productId", vendor = EXCLUDED.vendor,
  quantity = EXCLUDED.quantity, amount = EXCLUDED.amount`;

const UPSERT_REFUNDS = `
INSERT INTO "Refund" (shop, id, "orderId", "createdAt", amount)
SELECT $1, s.id, s.parent, s.created_at, s.amount FROM rfm_stage s WHERE s.kind = 'r'
ORDER BY s.id
ON CONFLICT (shop, id) DO UPDATE SET "orderId" = EXCLUDED."orderId", "createdAt" = EXCLUDED."createdAt", amount = EXCLUDED.amount`;

// The COPY path's line items: straight into OrderLine, or (when some already exist) staged and upserted.
const DIRECT_LINES = `COPY "OrderLine" (shop, "orderId", id, "productId", vendor, quantity, amount) FROM STDIN`;
const LINE_STAGE = `CREATE TEMP TABLE IF NOT EXISTS rfm_line_stage (
  shop text, parent bigint, id bigint, product bigint, vendor text, quantity int, amount numeric
) ON COMMIT DELETE ROWS`;
const UPSERT_STAGED_LINES = `
INSERT INTO "OrderLine" (shop, "orderId", id, "productId", vendor, quantity, amount)
SELECT s.shop, s.parent, s.id, s.product, s.vendor, s.quantity, s.amount FROM rfm_line_stage s
ORDER BY s.parent, s.id
ON CONFLICT (shop, "orderId", id) DO UPDATE SET "productId" = EXCLUDED."productId", vendor = EXCLUDED.vendor,
  quantity = EXCLUDED.quantity, amount = EXCLUDED.amount`;
const UNIQUE_VIOLATION = "23505";

const PROGRESS = `UPDATE "SyncRun" SET "linesCommitted" = $3, "ordersIngested" = $4, "heartbeatAt" = now(), "leaseUntil" = now() + interval '15 minutes' WHERE shop = $1 AND id = $2`;

// A range's resume point, and the run's merged count moved by what this batch added (one advancer per run: the lease).
const RANGE_PROGRESS = `WITH previous AS (
  SELECT "ordersIngested" AS n FROM "SyncRange" WHERE shop = $1 AND "runId" = $2 AND index = $5
), range AS (
  UPDATE "SyncRange" SET "linesCommitted" = $3, "ordersIngested" = $4 WHERE shop = $1 AND "runId" = $2 AND index = $5
)
UPDATE "SyncRun" SET "ordersIngested" = "ordersIngested" + $4::int - (SELECT n FROM previous), "heartbeatAt" = now(),
  "leaseUntil" = now() + interval '15 minutes' WHERE shop = $1 AND id = $2`;

const CUSTOMER_STAGE = `CREATE TEMP TABLE IF NOT EXISTS rfm_customer_stage (
  id bigint, first_name text, last_name text, email text, phone text, locale text, tags text[],
  created_at timestamptz, updated_at timestamptz, email_state text, email_level text, email_at timestamptz,
  sms_state text, sms_level text, sms_at timestamptz, country text
) ON COMMIT DELETE ROWS`;

// The webhook rule (inbox/upsert-customers.sql), for whole profiles: a tombstoned customer stays deleted and a
// stored state newer than the file's line is kept.
const UPSERT_CUSTOMERS = `
INSERT INTO "Customer" AS c (shop, id, email, "firstName", "lastName", phone, locale, tags, "countryCode",
  "emailMarketingState", "emailMarketingOptInLevel", "emailMarketingUpdatedAt",
  "smsMarketingState", "smsMarketingOptInLevel", "smsMarketingUpdatedAt", "shopifyCreatedAt", "shopifyUpdatedAt")
SELECT DISTINCT ON (s.id) $1, s.id, s.email, s.first_name, s.last_name, s.phone, s.locale, s.tags, s.country,
  s.email_state, s.email_level, s.email_at, s.sms_state, s.sms_level, s.sms_at, s.created_at, s.updated_at
FROM rfm_customer_stage s
ORDER BY s.id, s.updated_at DESC
ON CONFLICT (shop, id) DO UPDATE SET
  email = EXCLUDED.email, "firstName" = EXCLUDED."firstName", "lastName" = EXCLUDED."lastName", phone = EXCLUDED.phone,
  locale = EXCLUDED.locale, tags = EXCLUDED.tags, "countryCode" = EXCLUDED."countryCode",
  "emailMarketingState" = EXCLUDED."emailMarketingState", "emailMarketingOptInLevel" = EXCLUDED."emailMarketingOptInLevel",
  "emailMarketingUpdatedAt" = EXCLUDED."emailMarketingUpdatedAt", "smsMarketingState" = EXCLUDED."smsMarketingState",
  "smsMarketingOptInLevel" = EXCLUDED."smsMarketingOptInLevel", "smsMarketingUpdatedAt" = EXCLUDED."smsMarketingUpdatedAt",
  "shopifyCreatedAt" = EXCLUDED."shopifyCreatedAt", "shopifyUpdatedAt" = EXCLUDED."shopifyUpdatedAt"
WHERE c."deletedAt" IS NULL AND c."shopifyUpdatedAt" <= EXCLUDED."shopifyUpdatedAt"`;

const CUSTOMER_PROGRESS = `UPDATE "SyncRun" SET "customersLinesCommitted" = $3, "customersIngested" = $4, "heartbeatAt" = now(), "leaseUntil" = now() + interval '15 minutes' WHERE shop = $1 AND id = $2`;

type Cell = string | null;

/** One COPY text field: \N for NULL, backslash escapes. */
function copyField(v: Cell | undefined): string {
  return v === null || v === undefined
    ? "\\N"
    : /[\\\t\n\r]/.test(v)
      ? v.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"))
      : v;
}

/** COPY text format: tab-separated fields, one row a line. */
function copyText(row: Cell[]): string {
  let out = copyField(row[0]);
  for (let i = 1; i < row.length; i++) out += `\t${copyField(row[i])}`;
  return `${out}\n`;
}

function pgArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
}

function idOf(gid: string): string {
  return gid.slice(gid.lastIndexOf("/") + 1);
}

interface OrderLineJson {
  id: string;
  name?: string;
  createdAt: string;
  processedAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  test: boolean;
  customer: { id: string } | null;
  totalPriceSet: { shopMoney: { amount: string; currencyCode: string }; presentmentMoney?: { amount: string } };
  currentTotalPriceSet: { shopMoney: { amount: string } };
  totalRefundedSet: { shopMoney: { amount: string } };
  discountCodes: string[];
  refunds: { id: string; createdAt: string | null; totalRefundedSet: { shopMoney: { amount: string } } }[];
}

interface ChildJson {
  id: string;
  __parentId: string;
  quantity?: number;
  vendor?: string | null;
  product?: { id: string } | null;
  discountedTotalSet?: { shopMoney: { amount: string } };
}

interface CustomerLineJson {
  id: string;
  __parentId?: string;
  firstName: string | null;
  lastName: string | null;
  locale: string | null;
  tags: string[];
  createdAt: string | null;
  updatedAt: string;
  defaultEmailAddress: {
    emailAddress: string | null;
    marketingState: string | null;
    marketingOptInLevel: string | null;
    marketingUpdatedAt: string | null;
  } | null;
  defaultPhoneNumber: {
    phoneNumber: string | null;
    smsMarketingConsent: { state: string | null; optInLevel: string | null; updatedAt: string | null } | null;
  } | null;
  defaultAddress: { countryCodeV2: string | null } | null;
}

/** One line of the customers file → one staging row (customers have no child lines; any would be skipped). */
export function stageCustomerRows(line: string): { rows: Cell[][]; isOrder: boolean } {
  const c = JSON.parse(line) as CustomerLineJson;
  if (c.__parentId !== undefined || !c.id.startsWith("gid://shopify/Customer/")) return { rows: [], isOrder: false };
  const email = c.defaultEmailAddress;
  const sms = c.defaultPhoneNumber?.smsMarketingConsent ?? null;
  return {
    rows: [
      [
        idOf(c.id),
        c.firstName,
        c.lastName,
        email?.emailAddress ?? null,
        c.defaultPhoneNumber?.phoneNumber ?? null,
        c.locale,
        pgArray(c.tags),
        c.createdAt,
        c.updatedAt,
        email?.marketingState ?? null,
        email?.marketingOptInLevel ?? null,
        email?.marketingUpdatedAt ?? null,
        sms?.state ?? null,
        sms?.optInLevel ?? null,
        sms?.updatedAt ?? null,
        c.defaultAddress?.countryCodeV2 ?? null,
      ],
    ],
    isOrder: true,
  };
}

/** What differs between the files: the staging table, how a line stages, what upserts it, where progress goes. */
interface IngestPlan {
  table: string;
  columns: number;
  stage: string;
  stageRows: (line: string) => { rows: Cell[][]; isOrder: boolean };
  /** Upserts from the staging table; on the COPY path with directLines, kind 'l' rows skip it (see copyStager). */
  upserts: string[];
  progress: string;
  directLines: boolean;
}

const ORDERS_PLAN: IngestPlan = {
  table: "rfm_stage",
  columns: 20,
  stage: STAGE,
  stageRows,
  upserts: [UPSERT_ORDERS, UPSERT_LINES, UPSERT_REFUNDS],
  progress: PROGRESS,
  directLines: true,
};

const CUSTOMERS_PLAN: IngestPlan = {
  table: "rfm_customer_stage",
  columns: 16,
  stage: CUSTOMER_STAGE,
  stageRows: stageCustomerRows,
  upserts: [UPSERT_CUSTOMERS],
  progress: CUSTOMER_PROGRESS,
  directLines: false,
};

/** One JSONL line → staging rows (kind 'o' order, 'l' line item, 'r' refund). */
export function stageRows(line: string): { rows: Cell[][]; isOrder: boolean } {
  const obj = JSON.parse(line) as OrderLineJson | ChildJson;
  if ("__parentId" in obj) {
    const c = obj as ChildJson;
    if (!c.id.startsWith("gid://shopify/LineItem/")) return { rows: [], isOrder: false };
    return {
      rows: [
        [
          "l",
          idOf(c.id),
          idOf(c.__parentId),
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          c.vendor ?? null,
          c.product ? idOf(c.product.id) : null,
          String(c.quantity ?? 0),
          c.discountedTotalSet?.shopMoney.amount ?? "0",
        ],
      ],
      isOrder: false,
    };
  }
  const o = obj as OrderLineJson;
  const orderId = idOf(o.id);
  const rows: Cell[][] = [
    [
      "o",
      orderId,
      null,
      o.customer ? idOf(o.customer.id) : null,
      o.name ?? null,
      o.createdAt,
      o.processedAt,
      o.updatedAt,
      o.cancelledAt,
      o.test ? "t" : "f",
      o.totalPriceSet.shopMoney.currencyCode,
      o.totalPriceSet.shopMoney.amount,
      o.currentTotalPriceSet.shopMoney.amount,
      o.totalRefundedSet.shopMoney.amount,
      o.totalPriceSet.presentmentMoney?.amount ?? null,
      pgArray(o.discountCodes),
      null,
      null,
      null,
      null,
    ],
  ];
  for (const r of o.refunds) {
    rows.push([
      "r",
      idOf(r.id),
      orderId,
      null,
      null,
      r.createdAt ?? o.updatedAt,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      r.totalRefundedSet.shopMoney.amount,
    ]);
  }
  return { rows, isOrder: true };
}

/** How rows reach the staging table: COPY on PostgreSQL, multi-row INSERT on PGlite (no COPY FROM STDIN). */
interface Stager {
  add(rows: Cell[][]): Promise<void>;
  /** Ends the staging COPY; the batch's staged rows are then ready for the upserts. */
  finish(): Promise<void>;
  /** After the upserts: the rows held back for a direct COPY (line items), if any. */
  writeHeld(): Promise<void>;
}

async function copyInto(client: pg.PoolClient, sql: string, chunks: Buffer[]): Promise<void> {
  const copy = client.query(copyFrom(sql));
  const done = new Promise<void>((resolve, reject) => {
    copy.on("error", reject);
    copy.on("finish", resolve);
  });
  for (const chunk of chunks) if (!copy.write(chunk)) await Promise.race([once(copy, "drain"), done]);
  copy.end();
  await done;
}

/** A staged line item ('l' row) as OrderLine COPY text (shop, orderId, id, productId, vendor, quantity, amount). */
function lineText(shopField: string, row: Cell[]): string {
  return `${shopField}\t${copyField(row[2])}\t${copyField(row[1])}\t${copyField(row[17])}\t${copyField(row[16])}\t${copyField(row[18])}\t${copyField(row[19])}\n`;
}

function copyStager(client: pg.PoolClient, table: string, shop: string, directLines: boolean): Stager {
  const copy = client.query(copyFrom(`COPY ${table} FROM STDIN`));
  let failure: Error | null = null;
  // Kept and rethrown by finish(); an unobserved stream error would crash the process.
  copy.on("error", (error: Error) => (failure ??= error));
  let pending = "";
  // Line items of this batch, as OrderLine COPY text in 64 kB chunks: bytes, not strings of many small pieces.
  const held: Buffer[] = [];
  let heldPending = "";
  const shopField = copyField(shop);
  const push = async () => {
    if (pending && !copy.write(pending)) await once(copy, "drain");
    pending = "";
  };
  return {
    async add(rows) {
      for (const row of rows) {
        if (directLines && row[0] === "l") {
          heldPending += lineText(shopField, row);
          if (heldPending.length >= 1 << 16) {
            held.push(Buffer.from(heldPending));
            heldPending = "";
          }
        } else pending += copyText(row);
      }
      if (pending.length >= 1 << 16) await push();
    },
    async finish() {
      if (failure) throw failure;
      await push();
      const done = once(copy, "finish");
      copy.end();
      await done;
    },
    async writeHeld() {
      if (heldPending) held.push(Buffer.from(heldPending));
      heldPending = "";
      if (held.length === 0) return;
      await client.query("SAVEPOINT rfm_lines");
      try {
        await copyInto(client, DIRECT_LINES, held);
        await client.query("RELEASE SAVEPOINT rfm_lines");
      } catch (error) {
        if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
        // Some of these lines are stored already: stage them and upsert like the other rows.
        await client.query("ROLLBACK TO SAVEPOINT rfm_lines");
        await client.query(LINE_STAGE);
        await copyInto(client, "COPY rfm_line_stage FROM STDIN", held);
        await client.query(UPSERT_STAGED_LINES);
      }
      held.length = 0;
    },
  };
}

function insertStager(client: pg.PoolClient, table: string, columns: number): Stager {
  const ROWS_PER_STATEMENT = 500;
  let pending: Cell[][] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const values = pending.map(
      (_, r) => `(${Array.from({ length: columns }, (_, c) => `$${r * columns + c + 1}`).join(",")})`,
    );
    await client.query(`INSERT INTO ${table} VALUES ${values.join(",")}`, pending.flat());
    pending = [];
  };
  return {
    async add(rows) {
      pending.push(...rows);
      if (pending.length >= ROWS_PER_STATEMENT) await flush();
    },
    finish: flush,
    writeHeld: async () => {},
  };
}

const copySupport = new WeakMap<pg.Pool, boolean>();

async function supportsCopy(pool: pg.Pool, client: pg.PoolClient): Promise<boolean> {
  let known = copySupport.get(pool);
  if (known === undefined) {
    const { rows } = await client.query<{ v: string }>("SELECT version() AS v");
    known = !/PGlite/i.test(rows[0]?.v ?? "");
    copySupport.set(pool, known);
  }
  return known;
}

export async function ingestOrdersJsonl(options: IngestOptions): Promise<IngestProgress> {
  return ingestJsonl(options, ORDERS_PLAN);
}

/**
 * The customers file the same way (one staging row per customer line, one upsert per batch that keeps the newer
 * stored state and every tombstone); `ordersAlready` counts customers here, progress goes to the run's
 * customers columns.
 */
export async function ingestCustomersJsonl(options: IngestOptions): Promise<IngestProgress> {
  return ingestJsonl(options, CUSTOMERS_PLAN);
}

async function ingestJsonl(options: IngestOptions, plan: IngestPlan): Promise<IngestProgress> {
  const { pool, shop, runId } = options;
  const skip = options.skipLines ?? 0;
  const first = await pool.connect();
  const clients: pg.PoolClient[] = [first];
  let lines = 0;
  let orders = options.ordersAlready ?? 0;
  let committed: Promise<void> = Promise.resolve();
  const slotFree: Promise<void>[] = [Promise.resolve(), Promise.resolve()];
  try {
    const useCopy = await supportsCopy(pool, first);
    // PGlite runs one transaction at a time for every connection: short batches keep webhooks flowing.
    const batchLines = options.batchLines ?? (useCopy ? 50_000 : 2_000);
    // On PostgreSQL two connections take turns: while one upserts and commits a
    // batch, the next batch streams into the other. Commits stay in file order,
    // so linesCommitted always marks a prefix of the file.
    if (useCopy) clients.push(await pool.connect());

    let batchIndex = 0;
    let current: { slot: number; client: pg.PoolClient; stager: Stager; lines: number; orders: number } | null = null;

    const finalize = (batch: NonNullable<typeof current>, linesAtEnd: number) => {
      const previous = committed;
      const done = (async () => {
        try {
          await batch.stager.finish();
          for (const upsert of plan.upserts) await batch.client.query(upsert, [shop]);
          await batch.stager.writeHeld();
        } finally {
          await previous;
        }
        orders += batch.orders;
        if (options.range === undefined) await batch.client.query(plan.progress, [shop, runId, linesAtEnd, orders]);
        else await batch.client.query(RANGE_PROGRESS, [shop, runId, linesAtEnd, orders, options.range]);
        await batch.client.query("COMMIT");
        options.onProgress?.({ lines: linesAtEnd, orders });
      })();
      // Failures surface where the promise is awaited (next batch on that slot, or the end).
      done.catch(() => undefined);
      committed = done;
      slotFree[batch.slot] = done;
    };

    let seen = 0;
    for await (const line of jsonlLines(options.source)) {
      if (seen++ < skip) continue;
      if (!current) {
        const slot = batchIndex++ % clients.length;
        await slotFree[slot];
        const client = clients[slot] as pg.PoolClient;
        await client.query("BEGIN");
        // Data and progress commit together, so a batch lost in a server crash is simply redone on resume:
        // no need to wait for each commit's WAL flush.
        await client.query("SET LOCAL synchronous_commit = off");
        await client.query(plan.stage);
        const stager = useCopy
          ? copyStager(client, plan.table, shop, plan.directLines)
          : insertStager(client, plan.table, plan.columns);
        current = { slot, client, stager, lines: 0, orders: 0 };
      }
      const staged = plan.stageRows(line);
      await current.stager.add(staged.rows);
      current.lines++;
      if (staged.isOrder) current.orders++;
      lines++;
      if (current.lines >= batchLines) {
        finalize(current, skip + lines);
        current = null;
      }
    }
    if (current) finalize(current, skip + lines);
    await committed;
    for (const c of clients) c.release();
    return { lines: skip + lines, orders };
  } catch (error) {
    // Let the batch already handed to the database finish (it is whole), then discard the
    // connections: one may be mid-COPY; the server rolls its open batch back.
    await Promise.allSettled([committed, ...slotFree]);
    for (const c of clients) {
      // Discarded on purpose: its "connection terminated" is expected, not a crash.
      c.on("error", () => undefined);
      c.release(error instanceof Error ? error : true);
    }
    throw error;
  }
}
