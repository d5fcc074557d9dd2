import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { once } from "node:events";
import { createHash } from "node:crypto";
import { jsonlLines } from "./jsonl";
import { logger } from "../../platform/logger.server";

/**
 * Streams a bulk-operation JSONL result into PostgreSQL. Orders files on a PostgreSQL server: every row (order, line
 * item, refund) is COPYed, while the file is parsed, into one UNLOGGED staging table of this backfill (per shop, run
 * and range; no indexes, no WAL), each `batchLines` lines committed together with the run's progress on one of two
 * connections taking turns — so a batch holds no lock on a shared table and nothing waits on it. Once the file is in,
 * one sorted `INSERT … SELECT` per target (Order on one connection, OrderLine and Refund on the other) upserts it into
 * the shared tables in key order — the newer state wins and tombstones stay, as for webhooks — and the staging table
 * is dropped. The shared tables keep their indexes (the live applier upserts into them meanwhile). A crashed run
 * resumes after the last committed line (the staging table survives a killed app; one a server crash emptied is
 * seen and the file redone from the start), and a redone merge is harmless. The customers file, and PGlite (no
 * COPY FROM STDIN, one transaction at a time), stage each batch in a TEMP table and upsert it per batch instead.
 * Memory holds one batch's COPY text, whatever the file size.
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

// One row layout for orders ('o'), line items ('l'), refunds ('r') and, in a backfill's stage, its progress ('p').
const STAGE_COLUMNS = `kind "char", id bigint, parent bigint, customer bigint, name text,
  created_at timestamptz, processed_at timestamptz, updated_at timestamptz, cancelled_at timestamptz, test boolean,
  currency text, total numeric, current_total numeric, refunded numeric, presentment_total numeric, discount_codes text[],
  vendor text, product bigint, quantity int, amount numeric`;
const STAGE = `CREATE TEMP TABLE IF NOT EXISTS rfm_stage (${STAGE_COLUMNS}) ON COMMIT DELETE ROWS`;

/**
 * How staged rows of one kind reach their shared table, written once: the upsert (newer state wins, tombstones stay)
 * is `insert` + `order` + `conflict`; a merge also runs it split by `stored` — only rows whose key is stored take the
 * upsert, the rest a plain insert, which skips the per-row speculative insertion of ON CONFLICT (half the cost).
 */
interface TargetSql {
  insert: (stage: string) => string;
  /** The staged row's key is stored already (`s` the staged row, `t` the target). */
  stored: string;
  order: string;
  conflict: string;
}

const ORDER_SQL: TargetSql = {
  insert: (stage) => `
INSERT INTO "Order" AS o (shop, id, "customerId", name, "createdAt", "processedAt", "shopifyUpdatedAt", "cancelledAt", test, currency,
  "totalPrice", "currentTotalPrice", "totalRefunded", "presentmentTotalPrice", "discountCodes")
SELECT $1, s.id, coalesce(m."intoId", s.customer), s.name, s.created_at, s.processed_at, s.updated_at, s.cancelled_at, s.test, s.currency,
  s.total, s.current_total, s.refunded, s.presentment_total, s.discount_codes
FROM ${stage} s LEFT JOIN "CustomerMerge" m ON m.shop = $1 AND m."fromId" = s.customer
WHERE s.kind = 'o'`,
  stored: `EXISTS (SELECT 1 FROM "Order" t WHERE t.shop = $1 AND t.id = s.id)`,
  order: "ORDER BY s.id",
  conflict: `ON CONFLICT (shop, id) DO UPDATE SET
  "customerId" = EXCLUDED."customerId", name = EXCLUDED.name, "createdAt" = EXCLUDED."createdAt", "processedAt" = EXCLUDED."processedAt",
  "shopifyUpdatedAt" = EXCLUDED."shopifyUpdatedAt", "cancelledAt" = EXCLUDED."cancelledAt", test = EXCLUDED.test, currency = EXCLUDED.currency,
  "totalPrice" = EXCLUDED."totalPrice", "currentTotalPrice" = EXCLUDED."currentTotalPrice", "totalRefunded" = EXCLUDED."totalRefunded",
  "presentmentTotalPrice" = EXCLUDED."presentmentTotalPrice", "discountCodes" = EXCLUDED."discountCodes"
WHERE o."deletedAt" IS NULL AND o."shopifyUpdatedAt" <= EXCLUDED."shopifyUpdatedAt"`,
};

const LINE_SQL: TargetSql = {
  insert: (stage) => `
INSERT INTO "OrderLine" (shop, "orderId", id, "productId", vendor, quantity, amount)
SELECT $1, s.parent, s.id, s.product, s.vendor, s.quantity, s.amount FROM ${stage} s WHERE s.kind = 'l'`,
  stored: `EXISTS (SELECT 1 FROM "OrderLine" t WHERE t.shop = $1 AND t."orderId" = s.parent AND t.id = s.id)`,
  order: "ORDER BY s.parent, s.id",
  conflict: `ON CONFLICT (shop, "orderId", id) DO UPDATE SET "productId" = EXCLUDED."productId", vendor = EXCLUDED.vendor,
  quantity = EXCLUDED.quantity, amount = EXCLUDED.amount`,
};

const REFUND_SQL: TargetSql = {
  insert: (stage) => `
INSERT INTO "Refund" (shop, id, "orderId", "createdAt", amount)
SELECT $1, s.id, s.parent, s.created_at, s.amount FROM ${stage} s WHERE s.kind = 'r'`,
  stored: `EXISTS (SELECT 1 FROM "Refund" t WHERE t.shop = $1 AND t.id = s.id)`,
  order: "ORDER BY s.id",
  conflict: `ON CONFLICT (shop, id) DO UPDATE SET "orderId" = EXCLUDED."orderId", "createdAt" = EXCLUDED."createdAt", amount = EXCLUDED.amount`,
};

const upsertSql = (t: TargetSql, stage: string) => `${t.insert(stage)}\n${t.order}\n${t.conflict}`;
const upsertStoredSql = (t: TargetSql, stage: string) =>
  `${t.insert(stage)} AND ${t.stored}\n${t.order}\n${t.conflict}`;
const insertNewSql = (t: TargetSql, stage: string) => `${t.insert(stage)} AND NOT ${t.stored}\n${t.order}`;

// A backfill's own staging table: named from (shop, run, range), its shop in the table comment so a shop's
// leftovers (an abandoned run) can be found and dropped (dropBackfillStages).
const RUN_STAGE_PREFIX = "rfm_backfill_";
function runStageName(shop: string, runId: string, range: number | undefined): string {
  const key = createHash("sha256")
    .update(`${shop}\n${runId}\n${range ?? ""}`)
    .digest("hex");
  return `${RUN_STAGE_PREFIX}${key.slice(0, 32)}`;
}
const RUN_STAGE_EXISTS = `SELECT to_regclass($1) IS NOT NULL AS present`;
const createRunStage = (stage: string) => `CREATE UNLOGGED TABLE IF NOT EXISTS ${stage} (${STAGE_COLUMNS})`;
const STAGED_LINES = (stage: string) => `SELECT coalesce(max(id), 0)::bigint AS lines FROM ${stage} WHERE kind = 'p'`;
const BACKFILL_STAGES_OF_SHOP = `SELECT c.relname AS name FROM pg_class c JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass
  WHERE c.relname LIKE '${RUN_STAGE_PREFIX}%' AND c.relkind = 'r' AND d.description = $1`;
// A row lock a backfill's merge waits on is a live webhook's, held for milliseconds: far longer is a bug, not a wait.
const UNIQUE_VIOLATION = "23505";
const MERGE_SETTINGS = ["SET LOCAL lock_timeout = '15s'", "SET LOCAL work_mem = '128MB'", "SET LOCAL jit = off"];

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
  /** Upserts from the per-batch staging table. */
  upserts: string[];
  progress: string;
  /** On a PostgreSQL server: the whole file into a backfill staging table, merged once at the end. */
  runStage: boolean;
}

const ORDERS_PLAN: IngestPlan = {
  table: "rfm_stage",
  columns: 20,
  stage: STAGE,
  stageRows,
  upserts: [ORDER_SQL, LINE_SQL, REFUND_SQL].map((t) => upsertSql(t, "rfm_stage")),
  progress: PROGRESS,
  runStage: true,
};

const CUSTOMERS_PLAN: IngestPlan = {
  table: "rfm_customer_stage",
  columns: 16,
  stage: CUSTOMER_STAGE,
  stageRows: stageCustomerRows,
  upserts: [UPSERT_CUSTOMERS],
  progress: CUSTOMER_PROGRESS,
  runStage: false,
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
  /** Ends the staging COPY; the batch's staged rows are then in the staging table. */
  finish(): Promise<void>;
}

function copyStager(client: pg.PoolClient, table: string): Stager {
  const copy = client.query(copyFrom(`COPY ${table} FROM STDIN`));
  let failure: Error | null = null;
  // Kept and rethrown by finish(); an unobserved stream error would crash the process.
  copy.on("error", (error: Error) => (failure ??= error));
  let pending = "";
  const push = async () => {
    if (pending && !copy.write(pending)) await Promise.race([once(copy, "drain"), once(copy, "error")]);
    pending = "";
  };
  return {
    async add(rows) {
      for (const row of rows) pending += copyText(row);
      if (pending.length >= 1 << 16) await push();
    },
    async finish() {
      if (failure) throw failure;
      await push();
      if (failure) throw failure;
      const done = once(copy, "finish");
      copy.end();
      await done;
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

/** A batch's progress row in a backfill's staging table: how far the file is staged once it commits. */
function progressRow(lines: number): Cell[] {
  const row: Cell[] = Array.from({ length: 20 }, () => null);
  row[0] = "p";
  row[1] = String(lines);
  return row;
}

/**
 * Opens (or finds) the backfill's staging table. Returns where to resume: `skip` unless the table is there but holds
 * fewer lines than the run committed — a server crash empties an UNLOGGED table — and then the file from the start.
 */
async function openRunStage(client: pg.PoolClient, stage: string, shop: string, skip: number): Promise<number> {
  const { rows } = await client.query<{ present: boolean }>(RUN_STAGE_EXISTS, [stage]);
  if (!rows[0]?.present) {
    await client.query(createRunStage(stage));
    await client.query(`COMMENT ON TABLE ${stage} IS ${client.escapeLiteral(shop)}`);
    // No table: nothing staged yet, or an earlier merge already wrote (and dropped) it.
    return skip;
  }
  const staged = Number((await client.query<{ lines: string }>(STAGED_LINES(stage))).rows[0]?.lines ?? 0);
  if (staged >= skip) return skip;
  logger.warn(
    { shop, stage, staged, committed: skip },
    "backfill staging table lost its rows (server crash): redoing the file",
  );
  await client.query(`TRUNCATE ${stage}`);
  return 0;
}

/**
 * The backfill's staged file into the shared tables, in key order: Order on one connection while OrderLine and Refund
 * go on the other (no foreign keys between them; each step is idempotent, so a merge cut off between the two commits
 * is simply redone), then the staging table is dropped. Per target, rows already stored (webhooks got there first)
 * take the upsert and the rest a plain insert; should a webhook store one of those meanwhile, the insert fails on the
 * unique index, is rolled back to its savepoint and the rows take the upsert.
 */
async function mergeRunStage(clients: pg.PoolClient[], stage: string, shop: string): Promise<void> {
  const merge = async (client: pg.PoolClient, targets: TargetSql[]) => {
    await client.query("BEGIN");
    try {
      for (const setting of MERGE_SETTINGS) await client.query(setting);
      for (const t of targets) {
        await client.query(upsertStoredSql(t, stage), [shop]);
        await client.query("SAVEPOINT rfm_new");
        try {
          await client.query(insertNewSql(t, stage), [shop]);
          await client.query("RELEASE SAVEPOINT rfm_new");
        } catch (error) {
          if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
          logger.debug({ shop, stage }, "backfill merge met rows stored meanwhile: upserting");
          await client.query("ROLLBACK TO SAVEPOINT rfm_new");
          await client.query(upsertSql(t, stage), [shop]);
        }
      }
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  };
  // The planner's row estimates for the joins: the staging table was never analyzed.
  await clients[0]?.query(`ANALYZE ${stage}`);
  const [orders, rest] = [clients[0], clients[1] ?? clients[0]] as [pg.PoolClient, pg.PoolClient];
  const results = await Promise.allSettled([merge(orders, [ORDER_SQL]), merge(rest, [LINE_SQL, REFUND_SQL])]);
  for (const r of results) if (r.status === "rejected") throw r.reason;
  await orders.query(`DROP TABLE IF EXISTS ${stage}`);
}

/** shop/redact and app data removal: drops the shop's backfill staging tables an abandoned run left behind. */
export async function dropBackfillStages(
  query: (sql: string, ...values: unknown[]) => Promise<unknown>,
  shop: string,
): Promise<void> {
  const names = (await query(BACKFILL_STAGES_OF_SHOP, shop)) as { name: string }[];
  for (const { name } of names) if (name.startsWith(RUN_STAGE_PREFIX)) await query(`DROP TABLE IF EXISTS ${name}`);
}

async function ingestJsonl(options: IngestOptions, plan: IngestPlan): Promise<IngestProgress> {
  const { pool, shop, runId } = options;
  let skip = options.skipLines ?? 0;
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
    const stage = useCopy && plan.runStage ? runStageName(shop, runId, options.range) : null;
    if (stage) {
      const from = await openRunStage(first, stage, shop, skip);
      if (from !== skip) [skip, orders] = [from, 0];
    }
    // On PostgreSQL two connections take turns: while one commits a
    // batch, the next batch streams into the other. Commits stay in file order,
    // so linesCommitted always marks a prefix of the file.
    if (useCopy) clients.push(await pool.connect());

    let batchIndex = 0;
    // Orders counted in file order as batches are handed over (they commit in that order).
    let ordersHandedOver = orders;
    let current: { slot: number; client: pg.PoolClient; stager: Stager; lines: number; orders: number } | null = null;

    const finalize = (batch: NonNullable<typeof current>, linesAtEnd: number) => {
      const previous = committed;
      ordersHandedOver += batch.orders;
      const ordersAtEnd = ordersHandedOver;
      const done = (async () => {
        try {
          if (stage) await batch.stager.add([progressRow(linesAtEnd)]);
          await batch.stager.finish();
          if (!stage) for (const upsert of plan.upserts) await batch.client.query(upsert, [shop]);
        } finally {
          await previous;
        }
        if (options.range === undefined)
          await batch.client.query(plan.progress, [shop, runId, linesAtEnd, ordersAtEnd]);
        else await batch.client.query(RANGE_PROGRESS, [shop, runId, linesAtEnd, ordersAtEnd, options.range]);
        await batch.client.query("COMMIT");
        orders = ordersAtEnd;
        options.onProgress?.({ lines: linesAtEnd, orders: ordersAtEnd });
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
        let stager: Stager;
        if (stage) stager = copyStager(client, stage);
        else {
          await client.query(plan.stage);
          stager = useCopy ? copyStager(client, plan.table) : insertStager(client, plan.table, plan.columns);
        }
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
    if (stage) await mergeRunStage(clients, stage, shop);
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
