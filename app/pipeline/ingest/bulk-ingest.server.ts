import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { once } from "node:events";
import { jsonlLines } from "./jsonl";
import { logger } from "../../platform/logger.server";

/**
 * Streams a bulk-operation JSONL result into PostgreSQL. Each batch of `batchLines` lines is held as COPY text, one
 * buffer per target table (64 kB chunks), while it is parsed; two connections take turns, so one batch is written
 * while the next is parsed. A batch whose order ids no stored order falls between (a first backfill) is COPYed
 * straight into Order, OrderLine and Refund — no staging pass, no per-row ON CONFLICT — under a savepoint; should a
 * row exist after all (a webhook got there first) the unique index refuses the COPY, it is rolled back and the batch
 * goes through unlogged TEMP staging tables and the upserts (newer state wins, tombstones stay), as a redone batch
 * or a shop with merged customers always does. Progress commits with the batch's data; memory holds two batches'
 * buffers, whatever the file size; a crashed run resumes after the last committed line.
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

// Staging tables, one per target, in the target's COPY column order (shop first): a batch's rows are held as COPY
// text and go either straight into the target or, when they may collide with stored rows, here and upserted.
const ORDER_COLUMNS = `shop, id, "customerId", name, "createdAt", "processedAt", "shopifyUpdatedAt", "cancelledAt", test, currency,
  "totalPrice", "currentTotalPrice", "totalRefunded", "presentmentTotalPrice", "discountCodes"`;
const ORDER_STAGE = `CREATE TEMP TABLE IF NOT EXISTS rfm_order_stage (
  shop text, id bigint, customer bigint, name text, created_at timestamptz, processed_at timestamptz, updated_at timestamptz,
  cancelled_at timestamptz, test boolean, currency text, total numeric, current_total numeric, refunded numeric,
  presentment_total numeric, discount_codes text[]
) ON COMMIT DELETE ROWS`;

const UPSERT_ORDERS = `
INSERT INTO "Order" AS o (${ORDER_COLUMNS})
SELECT $1, s.id, coalesce(m."intoId", s.customer), s.name, s.created_at, s.processed_at, s.updated_at, s.cancelled_at, s.test, s.currency,
  s.total, s.current_total, s.refunded, s.presentment_total, s.discount_codes
FROM rfm_order_stage s LEFT JOIN "CustomerMerge" m ON m.shop = $1 AND m."fromId" = s.customer
ORDER BY s.id
ON CONFLICT (shop, id) DO UPDATE SET
  "customerId" = EXCLUDED."customerId", name = EXCLUDED.name, "createdAt" = EXCLUDED."createdAt", "processedAt" = EXCLUDED."processedAt",
  "shopifyUpdatedAt" = EXCLUDED."shopifyUpdatedAt", "cancelledAt" = EXCLUDED."cancelledAt", test = EXCLUDED.test, currency = EXCLUDED.currency,
  "totalPrice" = EXCLUDED."totalPrice", "currentTotalPrice" = EXCLUDED."currentTotalPrice", "totalRefunded" = EXCLUDED."totalRefunded",
  "presentmentTotalPrice" = EXCLUDED."presentmentTotalPrice", "discountCodes" = EXCLUDED."discountCodes"
WHERE o."deletedAt" IS NULL AND o."shopifyUpdatedAt" <= EXCLUDED."shopifyUpdatedAt"`;

const LINE_COLUMNS = `shop, "orderId", id, "productId", vendor, quantity, amount`;
const LINE_STAGE = `CREATE TEMP TABLE IF NOT EXISTS rfm_line_stage (
  shop text, parent bigint, id bigint, product bigint, vendor text, quantity int, amount numeric
) ON COMMIT DELETE ROWS`;
const UPSERT_LINES = `
INSERT INTO "OrderLine" (${LINE_COLUMNS})
SELECT $1, s.parent, s.id, s.product, s.vendor, s.quantity, s.amount FROM rfm_line_stage s
ORDER BY s.parent, s.id
ON CONFLICT (shop, "orderId", id) DO UPDATE SET "productId" = EXCLUDED."productId", vendor = EXCLUDED.vendor,
  quantity = EXCLUDED.quantity, amount = EXCLUDED.amount`;

const REFUND_COLUMNS = `shop, id, "orderId", "createdAt", amount`;
const REFUND_STAGE = `CREATE TEMP TABLE IF NOT EXISTS rfm_refund_stage (
  shop text, id bigint, parent bigint, created_at timestamptz, amount numeric
) ON COMMIT DELETE ROWS`;
const UPSERT_REFUNDS = `
INSERT INTO "Refund" (${REFUND_COLUMNS})
SELECT $1, s.id, s.parent, s.created_at, s.amount FROM rfm_refund_stage s
ORDER BY s.id
ON CONFLICT (shop, id) DO UPDATE SET "orderId" = EXCLUDED."orderId", "createdAt" = EXCLUDED."createdAt", amount = EXCLUDED.amount`;

// Straight COPY needs none of the batch's orders stored (a redone batch, webhooks ahead of us) and no merged
// customers to resolve; a row that still collides (a webhook in the meantime) fails the COPY and the batch is staged.
const MUST_STAGE = `SELECT EXISTS (SELECT 1 FROM "Order" WHERE shop = $1 AND id = ANY($2::bigint[]))
  OR EXISTS (SELECT 1 FROM "CustomerMerge" WHERE shop = $1) AS staged`;
const UNIQUE_VIOLATION = "23505";
const DEADLOCK = "40P01";

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
  shop text, id bigint, first_name text, last_name text, email text, phone text, locale text, tags text[],
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
export function stageCustomerRows(line: string): StagedLine {
  const c = JSON.parse(line) as CustomerLineJson;
  if (c.__parentId !== undefined || !c.id.startsWith("gid://shopify/Customer/")) return { rows: [], isOrder: false };
  const email = c.defaultEmailAddress;
  const sms = c.defaultPhoneNumber?.smsMarketingConsent ?? null;
  return {
    rows: [
      [
        "c",
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

/** A line's rows: each starts with its kind, then its target's columns after shop (see the staging tables). */
interface StagedLine {
  rows: Cell[][];
  isOrder: boolean;
}

/** Where one kind of row goes: its staging table, the target for a straight COPY (null: always staged). */
interface RowKind {
  stage: string;
  create: string;
  /** Columns including shop. */
  columns: number;
  copyTarget: string | null;
}

/** What differs between the files: the row kinds, how a line stages, what upserts them, where progress goes. */
interface IngestPlan {
  kinds: Record<string, RowKind>;
  /** The kind whose ids bound a batch for MUST_STAGE (the orders plan only). */
  rootKind: string | null;
  stageRows: (line: string) => StagedLine;
  /** Upserts from the staging tables, in this order. */
  upserts: string[];
  progress: string;
}

const ORDERS_PLAN: IngestPlan = {
  kinds: {
    o: { stage: "rfm_order_stage", create: ORDER_STAGE, columns: 15, copyTarget: `"Order" (${ORDER_COLUMNS})` },
    l: { stage: "rfm_line_stage", create: LINE_STAGE, columns: 7, copyTarget: `"OrderLine" (${LINE_COLUMNS})` },
    r: { stage: "rfm_refund_stage", create: REFUND_STAGE, columns: 5, copyTarget: `"Refund" (${REFUND_COLUMNS})` },
  },
  rootKind: "o",
  stageRows,
  upserts: [UPSERT_ORDERS, UPSERT_LINES, UPSERT_REFUNDS],
  progress: PROGRESS,
};

const CUSTOMERS_PLAN: IngestPlan = {
  kinds: { c: { stage: "rfm_customer_stage", create: CUSTOMER_STAGE, columns: 17, copyTarget: null } },
  rootKind: null,
  stageRows: stageCustomerRows,
  upserts: [UPSERT_CUSTOMERS],
  progress: CUSTOMER_PROGRESS,
};

/** One JSONL line → rows of kind 'o' (order), 'l' (line item), 'r' (refund). */
export function stageRows(line: string): StagedLine {
  const obj = JSON.parse(line) as OrderLineJson | ChildJson;
  if ("__parentId" in obj) {
    const c = obj as ChildJson;
    if (!c.id.startsWith("gid://shopify/LineItem/")) return { rows: [], isOrder: false };
    return {
      rows: [
        [
          "l",
          idOf(c.__parentId),
          idOf(c.id),
          c.product ? idOf(c.product.id) : null,
          c.vendor ?? null,
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
    ],
  ];
  for (const r of o.refunds)
    rows.push(["r", idOf(r.id), orderId, r.createdAt ?? o.updatedAt, r.totalRefundedSet.shopMoney.amount]);
  return { rows, isOrder: true };
}

/** How a batch's rows reach the database: COPY on PostgreSQL, multi-row INSERT into staging on PGlite (no COPY FROM STDIN). */
interface Stager {
  add(rows: Cell[][]): Promise<void>;
  /** Writes the batch: straight into the targets where nothing can collide, else staged and upserted. */
  write(): Promise<void>;
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

async function upsertStaged(client: pg.PoolClient, plan: IngestPlan, shop: string): Promise<void> {
  for (const upsert of plan.upserts) await client.query(upsert, [shop]);
}

function copyStager(client: pg.PoolClient, plan: IngestPlan, shop: string): Stager {
  // Each kind's rows of this batch as COPY text (shop first) in 64 kB chunks: bytes, not strings of many small pieces.
  const held = new Map<string, { chunks: Buffer[]; pending: string }>();
  for (const kind of Object.keys(plan.kinds)) held.set(kind, { chunks: [], pending: "" });
  const shopField = copyField(shop);
  // The batch's order ids (file order is not id order: a range would overlap every earlier batch).
  const rootIds: string[] = [];
  const chunksOf = (kind: string): Buffer[] => {
    const h = held.get(kind);
    if (!h) return [];
    if (h.pending) h.chunks.push(Buffer.from(h.pending));
    h.pending = "";
    return h.chunks;
  };
  const mustStage = async (): Promise<boolean> => {
    if (Object.values(plan.kinds).some((k) => k.copyTarget === null)) return true;
    if (rootIds.length === 0) return false;
    const { rows } = await client.query<{ staged: boolean }>(MUST_STAGE, [shop, rootIds]);
    const staged = rows[0]?.staged !== false;
    if (staged) logger.debug({ shop, orders: rootIds.length }, "bulk batch has stored orders or merges: staged");
    return staged;
  };
  return {
    async add(rows) {
      for (const row of rows) {
        const kind = row[0] ?? "";
        const h = held.get(kind);
        if (!h) throw new Error(`no staging table for row kind ${kind}`);
        let text = shopField;
        for (let i = 1; i < row.length; i++) text += `\t${copyField(row[i])}`;
        h.pending += `${text}\n`;
        if (h.pending.length >= 1 << 16) {
          h.chunks.push(Buffer.from(h.pending));
          h.pending = "";
        }
        if (kind === plan.rootKind && row[1]) rootIds.push(row[1]);
      }
    },
    async write() {
      const kinds = Object.entries(plan.kinds);
      if (!(await mustStage())) {
        await client.query("SAVEPOINT rfm_direct");
        try {
          for (const [kind, k] of kinds)
            if (k.copyTarget) await copyInto(client, `COPY ${k.copyTarget} FROM STDIN`, chunksOf(kind));
          await client.query("RELEASE SAVEPOINT rfm_direct");
          return;
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (code !== UNIQUE_VIOLATION && code !== DEADLOCK) throw error;
          // Some of these rows were stored meanwhile: stage the batch and upsert it like a redone one.
          logger.debug({ shop, code }, "bulk batch collided with stored rows: staged instead");
          await client.query("ROLLBACK TO SAVEPOINT rfm_direct");
        }
      }
      for (const [kind, k] of kinds) {
        await client.query(k.create);
        await copyInto(client, `COPY ${k.stage} FROM STDIN`, chunksOf(kind));
      }
      await upsertStaged(client, plan, shop);
    },
  };
}

function insertStager(client: pg.PoolClient, plan: IngestPlan, shop: string): Stager {
  const ROWS_PER_STATEMENT = 500;
  const pending = new Map<string, Cell[][]>();
  const flush = async (kind: string) => {
    const rows = pending.get(kind);
    const k = plan.kinds[kind];
    if (!rows || rows.length === 0 || !k) return;
    await client.query(k.create);
    const values = rows.map(
      (_, r) => `(${Array.from({ length: k.columns }, (_, c) => `$${r * k.columns + c + 1}`).join(",")})`,
    );
    await client.query(`INSERT INTO ${k.stage} VALUES ${values.join(",")}`, rows.flat());
    pending.set(kind, []);
  };
  return {
    async add(rows) {
      for (const row of rows) {
        const kind = row[0] ?? "";
        if (!plan.kinds[kind]) throw new Error(`no staging table for row kind ${kind}`);
        const list = pending.get(kind) ?? [];
        list.push([shop, ...row.slice(1)]);
        pending.set(kind, list);
        if (list.length >= ROWS_PER_STATEMENT) await flush(kind);
      }
    },
    async write() {
      for (const kind of Object.keys(plan.kinds)) await flush(kind);
      await upsertStaged(client, plan, shop);
    },
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
          await batch.stager.write();
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
        const stager = useCopy ? copyStager(client, plan, shop) : insertStager(client, plan, shop);
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
