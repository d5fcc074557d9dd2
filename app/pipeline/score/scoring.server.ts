import { computeRunSummary, type RunSummary } from "./run-summary.server";
import { chooseFirstFrequencyMode } from "./first-frequency-mode.server";
import { RunCutoffs, RunStats } from "./run-shapes";
import type { Db, DbTx } from "../../platform/db.server";
import { RfmSettings, frequencyThresholdsOf, rulesOf } from "../../domain/rfm/settings";
import { loadRfmSettings } from "../../settings/settings.server";
import { segmentLookup } from "../../domain/rfm/segments";
import { VIP_TIERS } from "../../domain/rfm/behaviours";
import { SALE_CODE_MIN_ORDERS } from "../../domain/rfm/behaviour-rules";
import { signalMaskWithin } from "../../domain/engagement";
import { computePersonaCounts } from "./personas.server";
import { epochDay, isoDay, localDate, minusMonths } from "../../domain/rfm/dates";
import type { Cutoff } from "../../domain/rfm/scores";
import { logger } from "../../platform/logger.server";
import { aggregateContext } from "../aggregate/aggregates.server";
import { lockShopScoring as lockScoring } from "../aggregate/locks.server";
import { markWriteBackPendingSql, WANT_FULL_WRITE_BACK_SQL } from "../write-back/pending.server";

/**
 * Scores a shop set-wise in PostgreSQL. The rule (1 + floor(S·L/n), L from
 * rank()) and the segment table (segmentLookup, the pure engine's) are the
 * same ones the CLI runs in TypeScript; a test holds the two together.
 */

/** Which orders count: countsForRfm in app/domain/orders.ts, as SQL. */
const COUNTED = `o."customerId" IS NOT NULL AND NOT o.test AND o."cancelledAt" IS NULL AND o."deletedAt" IS NULL`;

/** The stored shapes (zod in run-shapes.ts); the names other modules import from here. */
export type RunCutoffsJson = RunCutoffs;
export type { RunStats };

export interface ScoringOutcome {
  runId: bigint | null;
  kind: "full" | "incremental";
  asOf: string;
  customers: number;
  changedSegment: number;
  /** "Customer RFM segment changed" Flow events recorded (FlowTriggerEvent outbox). */
  flowEvents: number;
  written: number;
  removed: number;
}

interface ShopContext {
  tz: string;
  settings: RfmSettings;
  peakStarts: string[];
}

async function shopContext(db: Db | DbTx, shop: string): Promise<ShopContext> {
  // Time zone and peak seasons exactly as the aggregates see them.
  const [aggregates, settings] = await Promise.all([aggregateContext(db, shop), loadRfmSettings(db, shop)]);
  return { tz: aggregates.timezone, settings, peakStarts: [...new Set(aggregates.peaks.starts)] };
}

/** Exclusive start of an N-month scoring window (PostgreSQL's month arithmetic, in TypeScript). */
function windowStartOf(asOf: string, months: number | null): string | null {
  return months ? isoDay(minusMonths(epochDay(asOf), months)) : null;
}

/** Lifetime facts the behavioural segments need, from the aggregate "a" (BehaviourInputs in domain/rfm/behaviour-rules.ts). */
const BEHAVIOUR_INPUTS = `a."firstOrderPeak" IS NOT NULL AND a."orderCount" = 1 AS first_seasonal,
  a."firstOrderDiscounted" AS first_discounted,
  coalesce(a."lastRefundAt" >= a."lastOrderAt", false) AS refunded_since,
  a."avgDaysBetweenOrders" AS usual_gap, a."netSpend" AS lifetime_spend`;

/**
 * Per-customer R/F/M inputs (and behaviour inputs) into temp table
 * rfm_values. $1 shop, $2 customers (null: all), $3 asOf, $4 tz, $5 window
 * start (exclusive).
 */
function valuesSql(windowed: boolean): string {
  if (!windowed)
    return `CREATE TEMP TABLE rfm_values ON COMMIT DROP AS
      SELECT x.*, greatest(0, $3::date - x.last_date) AS days FROM (
        SELECT a."customerId" AS customer_id, (a."lastOrderAt" AT TIME ZONE $4)::date AS last_date,
               a."orderCount" AS frequency, a."netSpend" AS monetary, ${BEHAVIOUR_INPUTS}
        FROM "CustomerAggregate" a
        WHERE a.shop = $1 AND ($2::bigint[] IS NULL OR a."customerId" = ANY($2::bigint[]))) x`;
  return `CREATE TEMP TABLE rfm_values ON COMMIT DROP AS
    SELECT w.*, greatest(0, $3::date - w.last_date) AS days, ${BEHAVIOUR_INPUTS} FROM (
      SELECT o."customerId" AS customer_id, max((o."processedAt" AT TIME ZONE $4)::date) AS last_date,
             count(*)::int AS frequency, sum(o."currentTotalPrice") AS monetary
      FROM "Order" o
      WHERE o.shop = $1 AND ${COUNTED} AND ($2::bigint[] IS NULL OR o."customerId" = ANY($2::bigint[]))
        AND o."processedAt" >= (($5::date + 1)::timestamp AT TIME ZONE $4)
        AND o."processedAt" < (($3::date + 1)::timestamp AT TIME ZONE $4)
      GROUP BY 1) w
    JOIN "CustomerAggregate" a ON a.shop = $1 AND a."customerId" = w.customer_id`;
}

/**
 * Full run: value → score maps (rfm_rs, rfm_fs, rfm_ms) from histograms of
 * the distinct values. L (strictly worse) is the running count of the values
 * before this one — rank() without sorting every customer. $1 scale, $2 n,
 * $3 F thresholds. rfm_ms.better counts strictly higher spend (VIP tiers).
 */
function rankMapsSql(frequencyByRank: boolean): string[] {
  const map = (table: string, column: string, order: "ASC" | "DESC") =>
    `CREATE TEMP TABLE ${table} ON COMMIT DROP AS
     SELECT v, (1 + ($1::int * ((sum(c) OVER (ORDER BY v ${order}))::bigint - c)) / $2::bigint)::int AS score, c,
            $2::bigint - (sum(c) OVER (ORDER BY v ASC))::bigint AS better
     FROM (SELECT ${column} AS v, count(*) AS c FROM rfm_values GROUP BY 1) h`;
  // sum() of bigint is numeric: cast back, or the division below would not floor.
  return [
    map("rfm_rs", "days", "DESC"),
    frequencyByRank
      ? map("rfm_fs", "frequency", "ASC")
      : `CREATE TEMP TABLE rfm_fs ON COMMIT DROP AS
         SELECT v, (SELECT count(*)::int FROM unnest($3::int[]) t WHERE t <= v) AS score, c, NULL::bigint AS better
         FROM (SELECT frequency AS v, count(*) AS c FROM rfm_values GROUP BY 1) h`,
    map("rfm_ms", "monetary", "ASC"),
  ];
}

/**
 * Incremental run: the same maps, from the last full run's cut-offs ($1 R max
 * days per score, $2 F min, $3 M min; null where a score was empty), $4 F thresholds.
 */
const CUTOFF_MAPS_SQL = [
  `CREATE TEMP TABLE rfm_rs ON COMMIT DROP AS
   SELECT v, coalesce((SELECT max(s) FROM unnest($1::int[]) WITH ORDINALITY c(x, s) WHERE h.v <= c.x), 1)::int AS score, c, NULL::bigint AS better
   FROM (SELECT days AS v, count(*) AS c FROM rfm_values GROUP BY 1) h`,
  `CREATE TEMP TABLE rfm_fs ON COMMIT DROP AS
   SELECT v, CASE WHEN $4::int[] IS NULL THEN coalesce((SELECT max(s) FROM unnest($2::int[]) WITH ORDINALITY c(x, s) WHERE h.v >= c.x), 1)::int
                  ELSE (SELECT count(*)::int FROM unnest($4::int[]) t WHERE t <= h.v) END AS score, c, NULL::bigint AS better
   FROM (SELECT frequency AS v, count(*) AS c FROM rfm_values GROUP BY 1) h`,
  `CREATE TEMP TABLE rfm_ms ON COMMIT DROP AS
   SELECT v, coalesce((SELECT max(s) FROM unnest($3::numeric[]) WITH ORDINALITY c(x, s) WHERE h.v >= c.x), 1)::int AS score, c, NULL::bigint AS better
   FROM (SELECT monetary AS v, count(*) AS c FROM rfm_values GROUP BY 1) h`,
];

const SCORED = `(SELECT v.*, rs.score AS r, fs.score AS f, ms.score AS m
   FROM rfm_values v JOIN rfm_rs rs ON rs.v = v.days JOIN rfm_fs fs ON fs.v = v.frequency JOIN rfm_ms ms ON ms.v = v.monetary)`;

/**
 * The target segment and behaviours of every scored customer, next to what
 * they have now, with the stability rule applied (a SELECT; parameters in
 * NEXT_PARAMS order). The behaviour CASEs and lost_engaged are behavioursOf
 * and refinedSegment (domain/rfm/behaviour-rules.ts) set-wise.
 */
function nextSql(brandLoyal: boolean, signalMask: number): string {
  const brand = brandLoyal
    ? `SELECT o."customerId" AS cid FROM "Order" o
       WHERE o.shop = $1 AND ${COUNTED} AND o."customerId" IN (SELECT customer_id FROM rfm_values)
       GROUP BY 1
       HAVING bool_and(EXISTS (SELECT 1 FROM "OrderLine" l WHERE l.shop = o.shop AND l."orderId" = o.id AND l.vendor = ANY($14::text[])))`
    : `SELECT NULL::bigint AS cid WHERE false`;
  return `WITH sale AS (
    -- Only the orders of the candidate days, each day a local-midnight range on Order(shop, processedAt).
    SELECT o."customerId" AS cid, count(*) AS n
    FROM unnest($11::date[]) d
    JOIN "Order" o ON o.shop = $1 AND o."processedAt" >= (d::timestamp AT TIME ZONE $3)
      AND o."processedAt" < ((d + 1)::timestamp AT TIME ZONE $3)
    WHERE ${COUNTED} AND ($19::bigint[] IS NULL OR o."customerId" = ANY($19::bigint[]))
    GROUP BY 1
  ), brand AS (${brand}),
  target AS (
    SELECT s.*,
      CASE WHEN seg.key = 'lost' AND (e."lastVisitAt" >= $2::date - $15::int OR e."lastEmailClickAt" >= $2::date - $16::int
                                      OR coalesce(sig.signals, 0) & ${Math.trunc(signalMask)} <> 0)
           THEN 'lost_engaged' ELSE seg.key END AS target,
      array_remove(ARRAY[
        CASE WHEN s.monetary >= $6::numeric THEN 'vip_top_1' END,
        CASE WHEN s.monetary >= $7::numeric THEN 'vip_top_5' END,
        CASE WHEN s.monetary >= $8::numeric THEN 'vip_top_20' END,
        CASE WHEN s.first_seasonal THEN 'first_time_seasonal' END,
        CASE WHEN s.first_discounted THEN 'coupon_shopper' END,
        CASE WHEN sale.n >= $12::int THEN 'sale_shopper' END,
        CASE WHEN s.refunded_since AND s.days > coalesce(s.usual_gap, $13::float8) THEN 'dissatisfied' END,
        CASE WHEN brand.cid IS NOT NULL THEN 'brand_loyal' END,
        CASE WHEN s.lifetime_spend >= $9::numeric AND s.days >= $10::int THEN 'high_value_at_risk' END
      ]::text[], NULL) AS target_behaviours
    FROM ${SCORED} s
    JOIN (SELECT i::int AS i, key FROM unnest($5::text[]) WITH ORDINALITY l(key, i)) seg
      ON seg.i = (s.r - 1) * $4::int * $4::int + (s.f - 1) * $4::int + s.m
    LEFT JOIN "CustomerEngagement" e ON e.shop = $1 AND e."customerId" = s.customer_id
    LEFT JOIN "CustomerEngagementSignal" sig ON sig.shop = $1 AND sig."customerId" = s.customer_id
    LEFT JOIN sale ON sale.cid = s.customer_id
    LEFT JOIN brand ON brand.cid = s.customer_id
  ), decided AS (
    SELECT t.*, cs.segment AS old_segment, cs.behaviours AS old_behaviours, cs."behaviourSince" AS old_bsince, cs."segmentSince" AS old_since,
      cs."candidateSegment" AS old_candidate, cs."candidateRuns" AS old_runs,
      cs."lastOrderDate" AS old_last_date, cs.frequency AS old_frequency, cs.monetary AS old_monetary,
      cs.r AS old_r, cs.f AS old_f, cs.m AS old_m,
      CASE
        WHEN cs.segment IS NULL OR t.target = cs.segment OR $17::int <= 1 THEN t.target
        WHEN $18::boolean AND cs."candidateSegment" = t.target AND cs."candidateRuns" + 1 >= $17::int THEN t.target
        ELSE cs.segment
      END AS segment
    FROM target t
    LEFT JOIN "CustomerScore" cs ON cs.shop = $1 AND cs."customerId" = t.customer_id
  )
  SELECT d.*,
    CASE WHEN d.segment = d.target THEN NULL ELSE d.target END AS candidate,
    CASE WHEN d.segment = d.target THEN 0
         WHEN d.old_candidate = d.target THEN d.old_runs + CASE WHEN $18::boolean THEN 1 ELSE 0 END
         ELSE CASE WHEN $18::boolean THEN 1 ELSE 0 END END AS candidate_runs,
    CASE WHEN d.target_behaviours = d.old_behaviours THEN d.old_bsince
         WHEN d.old_behaviours IS NULL OR cardinality(d.old_behaviours) = 0 THEN array_fill($2::date, ARRAY[cardinality(d.target_behaviours)])
         ELSE ARRAY(SELECT coalesce(d.old_bsince[array_position(d.old_behaviours, b)], $2::date)
                    FROM unnest(d.target_behaviours) WITH ORDINALITY u(b, i) ORDER BY i) END AS target_bsince
  FROM decided d`;
}

const CHANGED = `n.old_segment IS NULL
  OR (n.last_date, n.frequency, n.monetary, n.r, n.f, n.m, n.segment, n.candidate, n.candidate_runs, n.target_behaviours)
     IS DISTINCT FROM (n.old_last_date, n.old_frequency, n.old_monetary, n.old_r, n.old_f, n.old_m, n.old_segment, n.old_candidate, n.old_runs, n.old_behaviours)`;

const SCORE_COLUMNS = `shop, "customerId", "lastOrderDate", frequency, monetary, r, f, m, segment, "segmentSince",
    "candidateSegment", "candidateRuns", behaviours, "behaviourSince", "scoredRunId", "updatedAt"`;

/**
 * Scores from "source" (rfm_next, or the NEXT select itself on a shop's
 * first run) as rows for "CustomerScore". $1 shop, $2 asOf, $20 run id. Rows
 * go in customer order: B-tree inserts in key order cost half of random ones.
 */
const scoreRowsSql = (
  source: string,
) => `SELECT $1, n.customer_id, n.last_date, n.frequency, n.monetary, n.r, n.f, n.m, n.segment,
         CASE WHEN n.segment IS DISTINCT FROM n.old_segment THEN $2::date ELSE n.old_since END,
         n.candidate, n.candidate_runs, n.target_behaviours, coalesce(n.target_bsince, '{}'), $20::bigint, now()
  FROM ${source} n
  ORDER BY n.customer_id`;

const writeScoresSql = (source: string) => `INSERT INTO "CustomerScore" AS cs (${SCORE_COLUMNS})
  ${scoreRowsSql(source)}
  ON CONFLICT (shop, "customerId") DO UPDATE SET
    "lastOrderDate" = EXCLUDED."lastOrderDate", frequency = EXCLUDED.frequency, monetary = EXCLUDED.monetary,
    r = EXCLUDED.r, f = EXCLUDED.f, m = EXCLUDED.m, segment = EXCLUDED.segment, "segmentSince" = EXCLUDED."segmentSince",
    "candidateSegment" = EXCLUDED."candidateSegment", "candidateRuns" = EXCLUDED."candidateRuns",
    behaviours = EXCLUDED.behaviours, "behaviourSince" = EXCLUDED."behaviourSince", "scoredRunId" = EXCLUDED."scoredRunId", "updatedAt" = now()`;

/**
 * From this many customers a shop's first run writes its own CustomerScore
 * partition instead of upserting into the shared default one: 1 M ON
 * CONFLICT checks against ~30 indexes cost several times a sorted load with
 * the indexes built afterwards. Below it the upsert is cheaper than the DDL.
 */
export const OWN_PARTITION_MIN_CUSTOMERS = 50_000;

/** The shop's own CustomerScore partition, when it has one. */
async function shopPartition(tx: DbTx, shop: string): Promise<string | null> {
  const rows = await query<{ name: string }[]>(
    tx,
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = '"CustomerScore"'::regclass
       AND pg_get_expr(c.relpartbound, c.oid) = format('FOR VALUES IN (%L)', $1::text)`,
    shop,
  );
  return rows[0]?.name ?? null;
}

/**
 * A shop's first large run: the scores go into a fresh table in key order,
 * its primary key and the parent's indexes are built afterwards (a sort
 * each, instead of a B-tree insert per row and index), then it is attached
 * as the shop's partition, replacing any old one (left empty by the shop's
 * earlier runs). Returns the rows written.
 */
async function writeOwnPartition(tx: DbTx, shop: string, next: string, params: unknown[]): Promise<number> {
  const old = await shopPartition(tx, shop);
  // Dropping a partition locks the whole parent (ACCESS EXCLUSIVE) until commit; only a shop that had
  // an own partition and lost its scores (reinstall) pays it.
  if (old) await tx.$executeRawUnsafe(`DROP TABLE "${old}"`);
  const [named] = await query<{ name: string; check: string; attach: string }[]>(
    tx,
    `SELECT t.name,
       format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (shop = %L)', t.name, t.name || '_shop', $1::text) AS check,
       format('ALTER TABLE "CustomerScore" ATTACH PARTITION %I FOR VALUES IN (%L)', t.name, $1::text) AS attach
     FROM (SELECT 'CustomerScore_' || left(md5($1::text), 16) AS name) t`,
    shop,
  );
  if (!named) throw new Error("no partition name");
  const table = `"${named.name}"`;
  await tx.$executeRawUnsafe(`CREATE TABLE ${table} (LIKE "CustomerScore" INCLUDING DEFAULTS)`);
  const written = await exec(tx, `INSERT INTO ${table} (${SCORE_COLUMNS}) ${scoreRowsSql(`(${next})`)}`, params);
  // Each index build sorts the whole shop: in memory, not in runs spilled to disk.
  await tx.$executeRawUnsafe(`SET LOCAL maintenance_work_mem = '256MB'`);
  await tx.$executeRawUnsafe(`ALTER TABLE ${table} ADD PRIMARY KEY (shop, "customerId")`);
  // The parent's indexes by definition, so ATTACH finds each one built and only links it.
  const indexes = await query<{ def: string }[]>(
    tx,
    `SELECT indexdef AS def FROM pg_indexes
     WHERE schemaname = current_schema() AND tablename = 'CustomerScore' AND indexname <> 'CustomerScore_pkey'`,
  );
  for (const { def } of indexes)
    await exec(
      tx,
      def.replace(
        /^CREATE (UNIQUE )?INDEX \S+ ON (ONLY )?\S+ /,
        (_m, unique: string | undefined) => `CREATE ${unique ?? ""}INDEX ON ${table} `,
      ),
      [],
    );
  // The CHECK spares ATTACH its scan of the new table. ATTACH takes SHARE UPDATE EXCLUSIVE on the parent
  // (other shops keep reading and writing their scores) and ACCESS EXCLUSIVE on the default partition,
  // which it scans for rows of this shop, until commit: the run attaches after writing, so the lock
  // covers only the summary queries that follow.
  await tx.$executeRawUnsafe(named.check);
  await tx.$executeRawUnsafe(named.attach);
  await tx.$executeRawUnsafe(`ALTER TABLE ${table} DROP CONSTRAINT "${named.name}_shop"`);
  return written;
}

/**
 * History: the stays that ended become SegmentMembership rows ($1 shop, $2
 * asOf). Open stays live in CustomerScore. A stay that began today and ends
 * today is not history.
 */
/**
 * The Flow trigger outbox: one event per customer whose segment changed,
 * including customers scored for the first time (fromSegment null). Only
 * changed rows are staged in rfm_next, so this costs nothing on quiet runs.
 */
const FLOW_EVENTS_SQL = `INSERT INTO "FlowTriggerEvent" (shop, "customerId", "fromSegment", "toSegment", r, f, m, "changedOn")
  SELECT $1, n.customer_id, n.old_segment, n.segment, n.r, n.f, n.m, $2::date FROM rfm_next n
  WHERE n.segment IS DISTINCT FROM n.old_segment
  ORDER BY n.customer_id`;

const HISTORY_SQL = [
  `INSERT INTO "SegmentMembership" (shop, "customerId", kind, segment, "validFrom", "validTo")
   SELECT $1, n.customer_id, 'rfm', n.old_segment, n.old_since, $2::date FROM rfm_next n
   WHERE n.old_segment IS NOT NULL AND n.segment <> n.old_segment AND n.old_since < $2::date`,
  `INSERT INTO "SegmentMembership" (shop, "customerId", kind, segment, "validFrom", "validTo")
   SELECT $1, n.customer_id, 'behaviour', u.b, n.old_bsince[u.i], $2::date
   FROM rfm_next n, unnest(n.old_behaviours) WITH ORDINALITY u(b, i)
   WHERE n.old_behaviours IS DISTINCT FROM n.target_behaviours AND NOT u.b = ANY(n.target_behaviours) AND n.old_bsince[u.i] < $2::date`,
];

/** Customers no longer scored (no order in the window, deleted, redacted): their stays end, their scores go. */
async function removeUnscored(tx: DbTx, shop: string, asOf: string, customerIds: bigint[] | null): Promise<number> {
  const gone = `FROM "CustomerScore" cs
    WHERE cs.shop = $1 AND ($3::bigint[] IS NULL OR cs."customerId" = ANY($3::bigint[]))
      AND NOT EXISTS (SELECT 1 FROM rfm_values v WHERE v.customer_id = cs."customerId")`;
  await exec(
    tx,
    `INSERT INTO "SegmentMembership" (shop, "customerId", kind, segment, "validFrom", "validTo")
     SELECT $1, cs."customerId", 'rfm', cs.segment, cs."segmentSince", $2::date ${gone} AND cs."segmentSince" < $2::date
     UNION ALL
     SELECT $1, cs."customerId", 'behaviour', u.b, cs."behaviourSince"[u.i], $2::date
     ${gone.replace("WHERE", ", unnest(cs.behaviours) WITH ORDINALITY u(b, i) WHERE")} AND cs."behaviourSince"[u.i] < $2::date`,
    [shop, asOf, customerIds],
  );
  await exec(tx, markWriteBackPendingSql(`SELECT cs."customerId" ${gone}`), [shop, asOf, customerIds]);
  return exec(tx, `DELETE FROM "CustomerScore" WHERE shop = $1 AND "customerId" IN (SELECT cs."customerId" ${gone})`, [
    shop,
    asOf,
    customerIds,
  ]);
}

const sqlHead = (sql: string) => sql.replace(/\s+/g, " ").trim().slice(0, 80);

/** A query, timed at debug level (LOG_LEVEL=debug shows where a run spends its time). */
async function query<T>(tx: DbTx, sql: string, ...params: unknown[]): Promise<T> {
  const t = Date.now();
  const rows = await tx.$queryRawUnsafe<T>(sql, ...params);
  logger.debug({ ms: Date.now() - t, sql: sqlHead(sql) }, "scoring query");
  return rows;
}

/**
 * Runs a statement with positional parameters, sending only the ones it
 * uses (renumbered): PostgreSQL cannot type a parameter a statement ignores.
 */
async function exec(tx: DbTx, sql: string, params: unknown[]): Promise<number> {
  const used = [...new Set([...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
  const renumbered = used
    .reduce((text, p, i) => text.replace(new RegExp(`\\$${p}(?!\\d)`, "g"), `$__${i + 1}`), sql)
    .replaceAll("$__", "$");
  const t = Date.now();
  const n = await tx.$executeRawUnsafe(renumbered, ...used.map((p) => params[p - 1]));
  logger.debug({ ms: Date.now() - t, rows: n, sql: sqlHead(sql) }, "scoring statement");
  return n;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export interface RunOptions {
  /** Shop-local date to score as of (default: today in the shop's time zone). */
  asOf?: string;
  now?: Date;
  /**
   * Score the shop as it stood on asOf, from the orders up to that day (a
   * "reconstructed" run): a new install gets its first weeks of history
   * from its order history instead of starting blank.
   */
  reconstruct?: boolean;
  /** Customers from which a first run writes its own partition (default OWN_PARTITION_MIN_CUSTOMERS; tests lower it). */
  ownPartitionFrom?: number;
}

/** How far back a new install's history is reconstructed: the dashboard's movement window. */
export const RECONSTRUCTED_DAYS = 30;

/**
 * Before a shop's first full run: score it as of RECONSTRUCTED_DAYS ago
 * from its orders, so movement between segments shows from day one.
 * Lifetime behaviours use today's aggregates (they are not dated). The
 * shop's F mode is chosen first (chooseFirstFrequencyMode).
 */
export async function reconstructHistory(db: Db, shop: string, now = new Date()): Promise<ScoringOutcome | null> {
  const existing = await db.scoringRun.findFirst({
    where: { shop, kind: { in: ["full", "reconstructed"] } },
    select: { id: true },
  });
  if (existing) return null;
  await chooseFirstFrequencyMode(db, shop);
  const { tz } = await shopContext(db, shop);
  return runFullScoring(db, shop, {
    asOf: isoDay(epochDay(localDate(now, tz)) - RECONSTRUCTED_DAYS),
    reconstruct: true,
  });
}

/** The daily full run: ranks every customer, keeps the cut-offs, moves segments, records history. */
export async function runFullScoring(db: Db, shop: string, options: RunOptions = {}): Promise<ScoringOutcome> {
  const started = Date.now();
  const ctx = await shopContext(db, shop);
  const { settings, tz } = ctx;
  const asOf = options.asOf ?? localDate(options.now ?? new Date(), tz);
  // A reconstruction reads the orders up to asOf even with no window (aggregates are today's).
  const windowStart = windowStartOf(asOf, settings.windowMonths) ?? (options.reconstruct ? "0001-01-01" : null);
  const thresholds = settings.frequencyMode === "thresholds" ? frequencyThresholdsOf(settings) : null;
  const lookup = segmentLookup(rulesOf(settings), settings.scale);
  const kind = options.reconstruct ? "reconstructed" : "full";

  return db.$transaction(
    async (tx) => {
      await lockScoring(tx, shop);
      await tx.$executeRawUnsafe(`SET LOCAL jit = off`);
      // The three rank sorts fit in memory instead of spilling to disk.
      await tx.$executeRawUnsafe(`SET LOCAL work_mem = '256MB'`);
      const sameDay = await tx.scoringRun.findFirst({
        where: { shop, kind: "full", asOf: new Date(`${asOf}T00:00:00Z`), finishedAt: { not: null } },
      });
      // Flow hears live movement only: not a reconstruction of the past, and not the shop's first
      // full run (its moves are the install's catch-up, and would flood Flow with every customer).
      const fireFlow = kind === "full" && (sameDay ?? (await latestFullRun(tx, shop))) !== null;
      const run = await tx.scoringRun.create({
        data: {
          shop,
          kind,
          asOf: new Date(`${asOf}T00:00:00Z`),
          scale: settings.scale,
          windowMonths: settings.windowMonths,
          settings: JSON.parse(JSON.stringify(settings)),
          customers: 0,
          cutoffs: {},
          stats: {},
        },
      });
      await exec(tx, valuesSql(windowStart !== null), [shop, null, asOf, tz, windowStart]);
      const [count] = await query<{ n: number }[]>(tx, `SELECT count(*)::int AS n FROM rfm_values`);
      const n = count?.n ?? 0;
      for (const sql of rankMapsSql(thresholds === null))
        await exec(tx, sql, [settings.scale, Math.max(n, 1), thresholds]);
      // Temp tables have no statistics: without them the planner sorts every customer to merge-join the small maps.
      await tx.$executeRawUnsafe(`ANALYZE rfm_values, rfm_rs, rfm_fs, rfm_ms`);

      const [shopStats] = await query<Record<string, unknown>[]>(
        tx,
        `SELECT coalesce(sum(v * c), 0)::text AS total,
           ${VIP_TIERS.map(
             (t) => `min(v) FILTER (WHERE v > 0 AND better * 100 < ${t.percent} * $1::bigint)::text AS min_${t.percent},
           coalesce(sum(v * c) FILTER (WHERE v > 0 AND better * 100 < ${t.percent} * $1::bigint), 0)::text AS sum_${t.percent}`,
           ).join(",\n")}
         FROM rfm_ms`,
        n,
      );
      const [gapRow] = await query<{ gap: number | null }[]>(
        tx,
        `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY "avgDaysBetweenOrders") AS gap FROM "CustomerAggregate" WHERE shop = $1 AND "avgDaysBetweenOrders" IS NOT NULL`,
        shop,
      );
      const launchDays = await query<{ d: string }[]>(
        tx,
        `SELECT DISTINCT d::text AS d FROM (
           SELECT min((o."processedAt" AT TIME ZONE $2)::date) AS d
           FROM "Order" o CROSS JOIN LATERAL unnest(o."discountCodes") code
           WHERE o.shop = $1 AND ${COUNTED} AND cardinality(o."discountCodes") > 0
           GROUP BY lower(code) HAVING count(*) >= $3
           UNION SELECT unnest($4::date[])) x WHERE d <= $5::date ORDER BY 1`,
        shop,
        tz,
        SALE_CODE_MIN_ORDERS,
        ctx.peakStarts,
        asOf,
      );
      const s = shopStats ?? {};
      const total = Number(s.total ?? 0);
      const vipMinSpend = Object.fromEntries(
        VIP_TIERS.map((t) => [t.key, (s[`min_${t.percent}`] as string | null) ?? null]),
      ) as RunStats["vipMinSpend"];
      const revenueShare = Object.fromEntries(
        VIP_TIERS.map((t) => [t.key, total > 0 ? Number(s[`sum_${t.percent}`]) / total : 0]),
      ) as RunStats["revenueShare"];
      const stats: Omit<RunStats, "segments" | "behaviours" | "changedSegment" | "seconds"> = {
        vipMinSpend,
        revenueShare,
        totalSpend: String(s.total ?? "0"),
        medianGapDays: num(gapRow?.gap),
        launchDays: launchDays.map((r) => r.d),
        highValueMinSpend: settings.behaviours.highValueMinSpend ?? vipMinSpend.vip_top_5,
      };

      const changedSegment = await applyNext(
        tx,
        shop,
        run.id,
        asOf,
        ctx,
        lookup,
        stats,
        null,
        !sameDay,
        fireFlow,
        n >= (options.ownPartitionFrom ?? OWN_PARTITION_MIN_CUSTOMERS),
      );
      // After the write every scored customer has a row: more rows than scored customers means stale ones
      // (none when the shop had no scores before this run).
      let removed = 0;
      if (!changedSegment.fresh && (await storedScores(tx, shop)) !== n)
        removed = await removeUnscored(tx, shop, asOf, null);
      const cutoffs = await cutoffsOfRun(tx);
      const summaryStarted = Date.now();
      const summary = await computeRunSummary(tx, shop, asOf, n);
      logger.debug({ ms: Date.now() - summaryStarted }, "scoring summary");
      const counts = countsOf(summary);
      const personas = await computePersonaCounts(tx, shop, asOf);
      const written = changedSegment.written;
      await tx.scoringRun.update({
        where: { shop_id: { shop, id: run.id } },
        data: {
          customers: n,
          cutoffs: JSON.parse(JSON.stringify(cutoffs)),
          summary: JSON.parse(JSON.stringify(summary)),
          personas,
          stats: JSON.parse(
            JSON.stringify({
              ...stats,
              ...counts,
              changedSegment: changedSegment.changed,
              seconds: (Date.now() - started) / 1000,
            }),
          ),
          finishedAt: new Date(),
        },
      });
      return {
        runId: run.id,
        kind: "full" as const,
        asOf,
        customers: n,
        changedSegment: changedSegment.changed,
        flowEvents: changedSegment.flowEvents,
        written,
        removed,
      };
    },
    { timeout: 10 * 60_000, maxWait: 60_000 },
  );
}

const NEXT_PARAMS = (
  shop: string,
  asOf: string,
  ctx: ShopContext,
  lookup: string[],
  stats: Pick<RunStats, "vipMinSpend" | "highValueMinSpend" | "launchDays" | "medianGapDays">,
  isNewDay: boolean,
  customerIds: bigint[] | null,
  runId: bigint,
) => {
  const b = ctx.settings.behaviours;
  // A VIP tier that is empty matches nobody.
  const never = "1e30";
  return [
    shop, // $1
    asOf, // $2
    ctx.tz, // $3
    ctx.settings.scale, // $4
    lookup, // $5
    stats.vipMinSpend.vip_top_1 ?? never, // $6
    stats.vipMinSpend.vip_top_5 ?? never, // $7
    stats.vipMinSpend.vip_top_20 ?? never, // $8
    stats.highValueMinSpend ?? never, // $9
    b.highValueInactiveDays, // $10
    stats.launchDays, // $11
    b.saleShopperMinOrders, // $12
    stats.medianGapDays ?? b.dissatisfiedFallbackGapDays, // $13
    b.brandVendors, // $14
    b.lostEngagedVisitDays, // $15
    b.lostEngagedClickDays, // $16
    ctx.settings.stabilityRuns, // $17
    isNewDay, // $18
    customerIds, // $19
    runId, // $20
  ];
};

async function applyNext(
  tx: DbTx,
  shop: string,
  runId: bigint,
  asOf: string,
  ctx: ShopContext,
  lookup: string[],
  stats: Pick<RunStats, "vipMinSpend" | "highValueMinSpend" | "launchDays" | "medianGapDays">,
  customerIds: bigint[] | null,
  isNewDay: boolean,
  fireFlow: boolean,
  ownPartition: boolean,
): Promise<{ changed: number; written: number; flowEvents: number; fresh: boolean }> {
  const b = ctx.settings.behaviours;
  // Shopify's windowed signals that count for lost_engaged (refinedSegment's rule); a number, so inlined.
  const signalMask =
    signalMaskWithin("visit", b.lostEngagedVisitDays) | signalMaskWithin("click", b.lostEngagedClickDays);
  const next = nextSql(b.brandVendors.length > 0, signalMask);
  const params = NEXT_PARAMS(shop, asOf, ctx, lookup, stats, isNewDay, customerIds, runId);
  const hasScores = (await tx.customerScore.findFirst({ where: { shop }, select: { customerId: true } })) !== null;
  if (!hasScores) {
    // First run of a shop: nothing to compare with and no history to write, so no staging table.
    const written =
      ownPartition && customerIds === null
        ? await writeOwnPartition(tx, shop, next, params)
        : await exec(tx, writeScoresSql(`(${next})`), params);
    await analyzeScores(tx, shop, written);
    // Every customer is new to write-back: one flag instead of a mark per customer.
    await exec(tx, WANT_FULL_WRITE_BACK_SQL, [shop]);
    return { changed: 0, written, flowEvents: 0, fresh: true };
  }
  // Only what changed is staged: on a daily run that is a small fraction of the shop.
  await exec(tx, `CREATE TEMP TABLE rfm_next ON COMMIT DROP AS SELECT * FROM (${next}) n WHERE ${CHANGED}`, params);
  const written = await exec(tx, writeScoresSql("rfm_next"), params);
  await exec(tx, markWriteBackPendingSql("SELECT customer_id FROM rfm_next"), [shop]);
  const [changed] = await query<{ n: number }[]>(
    tx,
    `SELECT count(*)::int AS n FROM rfm_next WHERE old_segment IS NOT NULL AND segment <> old_segment`,
  );
  for (const statement of HISTORY_SQL) await exec(tx, statement, [shop, asOf]);
  const flowEvents = fireFlow ? await exec(tx, FLOW_EVENTS_SQL, [shop, asOf]) : 0;
  return { changed: changed?.n ?? 0, written, flowEvents, fresh: false };
}

/**
 * Statistics for the partition that holds the shop's scores, right after a
 * first run filled it: the summary queries are planned for the rows now
 * there, not for the empty table autovacuum last saw. ANALYZE samples, so
 * this costs the same at any size. A few thousand rows added to the shared
 * default partition do not change its plans (and its ANALYZE would queue
 * behind other shops' runs), so only larger ones pay for it.
 */
async function analyzeScores(tx: DbTx, shop: string, written: number): Promise<void> {
  const partition = await shopPartition(tx, shop);
  if (partition) await tx.$executeRawUnsafe(`ANALYZE "${partition}"`);
  else if (written >= 10_000) await tx.$executeRawUnsafe(`ANALYZE "CustomerScore_default"`);
}

async function cutoffsOfRun(tx: DbTx): Promise<RunCutoffsJson> {
  const rows = await query<{ dim: string; score: number; lo: string; hi: string; n: number }[]>(
    tx,
    `SELECT 'r' AS dim, score, min(v)::text AS lo, max(v)::text AS hi, sum(c)::int AS n FROM rfm_rs GROUP BY score
     UNION ALL SELECT 'f', score, min(v)::text, max(v)::text, sum(c)::int FROM rfm_fs GROUP BY score
     UNION ALL SELECT 'm', score, min(v)::text, max(v)::text, sum(c)::int FROM rfm_ms GROUP BY score
     ORDER BY 1, 2`,
  );
  const pick = <V>(dim: string, parse: (v: string) => V) =>
    rows
      .filter((r) => r.dim === dim)
      .map((r) => ({ score: r.score, min: parse(r.lo), max: parse(r.hi), customers: r.n }));
  return { r: pick("r", Number), f: pick("f", Number), m: pick("m", String) };
}

/** Segment and behaviour sizes, from the run's summary (which has just read every score). */
function countsOf(summary: RunSummary): Pick<RunStats, "segments" | "behaviours"> {
  const sizes = (groups: RunSummary["segments"]) =>
    Object.fromEntries(Object.entries(groups).map(([k, g]) => [k, g.customers]));
  return { segments: sizes(summary.segments), behaviours: sizes(summary.behaviours) };
}

async function storedScores(tx: DbTx, shop: string): Promise<number> {
  const [row] = await query<{ n: number }[]>(
    tx,
    `SELECT count(*)::int AS n FROM "CustomerScore" WHERE shop = $1`,
    shop,
  );
  return row?.n ?? 0;
}

/** The latest finished full run of a shop. */
export async function latestFullRun(db: Db | DbTx, shop: string) {
  return db.scoringRun.findFirst({ where: { shop, kind: "full", finishedAt: { not: null } }, orderBy: { id: "desc" } });
}

/**
 * Re-scores the customers whose aggregates changed since they were scored
 * (PendingRescore), against the latest full run's cut-offs and thresholds.
 * Without a full run yet there is nothing to score against: the pending
 * customers wait for it.
 */
export async function runIncrementalScoring(
  db: Db,
  shop: string,
  options: RunOptions = {},
): Promise<ScoringOutcome | null> {
  const ctx = await shopContext(db, shop);
  const asOf = options.asOf ?? localDate(options.now ?? new Date(), ctx.tz);
  return db.$transaction(
    async (tx) => {
      await lockScoring(tx, shop);
      const base = await latestFullRun(tx, shop);
      if (!base) return null;
      const pending = await query<{ id: bigint }[]>(
        tx,
        `DELETE FROM "PendingRescore" WHERE shop = $1 RETURNING "customerId" AS id`,
        shop,
      );
      if (pending.length === 0)
        return {
          runId: base.id,
          kind: "incremental" as const,
          asOf,
          customers: 0,
          changedSegment: 0,
          flowEvents: 0,
          written: 0,
          removed: 0,
        };
      const ids = pending.map((p) => p.id);
      // Scored as the base run scored (its cut-offs mean nothing otherwise); stability and behaviours as set now.
      const based = RfmSettings.safeParse(base.settings);
      const { scale, windowMonths, frequencyMode, frequencyThresholds, rules } = based.success
        ? based.data
        : ctx.settings;
      const runCtx: ShopContext = {
        ...ctx,
        settings: { ...ctx.settings, scale, windowMonths, frequencyMode, frequencyThresholds, rules },
      };
      const s = runCtx.settings;
      const cutoffs = RunCutoffs.parse(base.cutoffs);
      // Only what scoring the pending customers needs.
      const stats = RunStats.pick({
        vipMinSpend: true,
        highValueMinSpend: true,
        launchDays: true,
        medianGapDays: true,
      }).parse(base.stats);
      const byScore = <V>(list: Cutoff<V>[], pick: (c: Cutoff<V>) => V) =>
        Array.from({ length: s.scale }, (_, i) => {
          const c = list.find((x) => x.score === i + 1);
          return c ? pick(c) : null;
        });
      const windowStart = windowStartOf(asOf, s.windowMonths);
      await tx.$executeRawUnsafe(`SET LOCAL jit = off`);
      await exec(tx, valuesSql(windowStart !== null), [shop, ids, asOf, ctx.tz, windowStart]);
      const bounds = [
        byScore(cutoffs.r, (c) => c.max),
        byScore(cutoffs.f, (c) => c.min),
        byScore(cutoffs.m, (c) => c.min),
        s.frequencyMode === "thresholds" ? frequencyThresholdsOf(s) : null,
      ];
      for (const sql of CUTOFF_MAPS_SQL) await exec(tx, sql, bounds);
      await tx.$executeRawUnsafe(`ANALYZE rfm_values, rfm_rs, rfm_fs, rfm_ms`);
      const lookup = segmentLookup(rulesOf(s), s.scale);
      const { changed, written, flowEvents } = await applyNext(
        tx,
        shop,
        base.id,
        asOf,
        runCtx,
        lookup,
        stats,
        ids,
        false,
        true,
        false,
      );
      const removed = await removeUnscored(tx, shop, asOf, ids);
      const [count] = await query<{ n: number }[]>(tx, `SELECT count(*)::int AS n FROM rfm_values`);
      return {
        runId: base.id,
        kind: "incremental" as const,
        asOf,
        customers: count?.n ?? 0,
        changedSegment: changed,
        flowEvents,
        written,
        removed,
      };
    },
    { timeout: 5 * 60_000, maxWait: 60_000 },
  );
}
