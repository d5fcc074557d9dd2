import type { Prisma } from "../../generated/prisma/client";
import { computeRunSummary, refillScoreCells } from "./run-summary.server";
import { queryRows } from "../../platform/db/sql.server";
import { chooseFirstFrequencyMode } from "./first-frequency-mode.server";
import { RunCutoffs, RunStats, RunSummary } from "./run-shapes";
import type { Db, DbTx } from "../../platform/db.server";
import { RfmSettings, frequencyThresholdsOf, rulesOf, scoringInputsOf } from "../../domain/rfm/settings";
import { loadRfmSettings } from "../../settings/settings.server";
import { segmentLookup } from "../../domain/rfm/segments";
import { VIP_TIERS } from "../../domain/rfm/behaviours";
import { SALE_CODE_MIN_ORDERS } from "../../domain/rfm/behaviour-rules";
import { signalMaskWithin } from "../../domain/engagement";
import { PREDICTION_BEHAVIOURS } from "../../domain/rfm/prediction-bands";
import { computePersonaCounts } from "./personas.server";
import { epochDay, isoDay, localDate, minusMonths } from "../../domain/rfm/dates";
import type { Cutoff } from "../../domain/rfm/scores";
import { logger } from "../../platform/logger.server";
import { aggregateContext } from "../aggregate/aggregates.server";
import { lockShopScoring as lockScoring } from "../aggregate/locks.server";
import { refreshBrowsing } from "./browsing.server";
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

/** Which customers a run reads: all, the listed ones ($2), or those in temp table rfm_scope (a daily run). */
type Customers = "all" | "listed" | "scope";
const customersOf = (column: string, customers: Customers) =>
  ({
    all: "true",
    listed: `${column} = ANY($2::bigint[])`,
    scope: `${column} IN (SELECT customer_id FROM rfm_scope)`,
  })[customers];

/**
 * Per-customer R/F/M inputs (and behaviour inputs) into temp table
 * rfm_values. $1 shop, $2 customers (when listed), $3 asOf, $4 tz, $5 window
 * start (exclusive).
 */
function valuesSql(windowed: boolean, customers: Customers): string {
  if (!windowed)
    return `CREATE TEMP TABLE rfm_values ON COMMIT DROP AS
      SELECT x.*, greatest(0, $3::date - x.last_date) AS days FROM (
        SELECT a."customerId" AS customer_id, (a."lastOrderAt" AT TIME ZONE $4)::date AS last_date,
               a."orderCount" AS frequency, a."netSpend" AS monetary, ${BEHAVIOUR_INPUTS}
        FROM "CustomerAggregate" a
        WHERE a.shop = $1 AND ${customersOf(`a."customerId"`, customers)}) x`;
  return `CREATE TEMP TABLE rfm_values ON COMMIT DROP AS
    SELECT w.*, greatest(0, $3::date - w.last_date) AS days, ${BEHAVIOUR_INPUTS} FROM (
      SELECT o."customerId" AS customer_id, max((o."processedAt" AT TIME ZONE $4)::date) AS last_date,
             count(*)::int AS frequency, sum(o."currentTotalPrice") AS monetary
      FROM "Order" o
      WHERE o.shop = $1 AND ${COUNTED} AND ${customersOf(`o."customerId"`, customers)}
        AND o."processedAt" >= (($5::date + 1)::timestamp AT TIME ZONE $4)
        AND o."processedAt" < (($3::date + 1)::timestamp AT TIME ZONE $4)
      GROUP BY 1) w
    JOIN "CustomerAggregate" a ON a.shop = $1 AND a."customerId" = w.customer_id`;
}

/**
 * The distinct R/F/M input values of every customer with their counts, from
 * one pass over the aggregates (temp table rfm_hist; dim r: last_date, f:
 * frequency, m: monetary). $1 shop, $2 tz. Unwindowed runs rank from it.
 */
const HISTOGRAM_SQL_OF = (values: string) => `
  SELECT CASE WHEN grouping(x.last_date) = 0 THEN 'r' WHEN grouping(x.frequency) = 0 THEN 'f' ELSE 'm' END AS dim,
         x.last_date, x.frequency, x.monetary, count(*) AS c
  FROM ${values} x
  GROUP BY GROUPING SETS ((x.last_date), (x.frequency), (x.monetary))`;
const HISTOGRAM_SQL = `CREATE TEMP TABLE rfm_hist ON COMMIT DROP AS ${HISTOGRAM_SQL_OF(`(
  SELECT (a."lastOrderAt" AT TIME ZONE $2)::date AS last_date, a."orderCount" AS frequency, a."netSpend" AS monetary
  FROM "CustomerAggregate" a WHERE a.shop = $1)`)}`;

/** Where a run's values came from: every aggregate as it is (rfm_hist is their histogram), or a window of orders. */
type ValuesFrom = "aggregates" | "window";

/** A histogram's rows from ScoreValueCount's (dim, v, c) (migration 20261206205500): r as days since 1970-01-01. */
const HISTOGRAM_ROWS = (counts: string) => `SELECT dim,
    CASE WHEN dim = 'r' THEN date '1970-01-01' + v::int END AS last_date,
    CASE WHEN dim = 'f' THEN v::int END AS frequency,
    CASE WHEN dim = 'm' THEN v::numeric(18, 4) END AS monetary, c
  FROM (${counts}) counts`;

/** Values (last_date, frequency, monetary of rows "t") as ScoreValueCount's (dim, v, c), c each. */
const valueCountsOf = (t: string, c: string) =>
  `SELECT 'r' AS dim, (${t}.last_date - date '1970-01-01')::numeric AS v, ${c} AS c
   UNION ALL SELECT 'f', ${t}.frequency::numeric, ${c} UNION ALL SELECT 'm', ${t}.monetary, ${c}`;

/**
 * A daily run's rfm_hist without grouping every aggregate: the stored
 * scores' histogram (ScoreValueCount) minus the scores of the customers whose
 * aggregate was recomputed since the last full run (changesFrom) plus their
 * aggregates. Every other aggregate is as that run scored it. Scores whose
 * aggregate went (deleted customers) show as more scores than aggregates
 * outside the changed set: then those are found (one anti-join of the two
 * keys) and subtracted too. False when the counts still disagree: the
 * caller groups the aggregates.
 */
async function histogramOfDay(tx: DbTx, shop: string, tz: string, changesFrom: string): Promise<boolean> {
  await exec(
    tx,
    `CREATE TEMP TABLE rfm_changed ON COMMIT DROP AS
     SELECT a."customerId" AS customer_id, true AS aggregated, (a."lastOrderAt" AT TIME ZONE $2)::date AS last_date,
            a."orderCount" AS frequency, a."netSpend" AS monetary,
            cs."customerId" IS NOT NULL AS scored, cs."lastOrderDate" AS old_date, cs.frequency AS old_frequency,
            cs.monetary AS old_monetary
     FROM "CustomerAggregate" a LEFT JOIN "CustomerScore" cs ON cs.shop = a.shop AND cs."customerId" = a."customerId"
     WHERE a.shop = $1 AND a."computedAt" >= $3::timestamptz`,
    [shop, tz, changesFrom],
  );
  const agree = async () => {
    const [counts] = await query<{ agree: boolean }[]>(
      tx,
      `SELECT (SELECT coalesce(sum(customers), 0) FROM "ScoreValueCount" WHERE shop = $1 AND dim = 'f')
                - (SELECT count(*) FROM rfm_changed WHERE scored)
              = (SELECT count(*) FROM "CustomerAggregate" WHERE shop = $1) - (SELECT count(*) FROM rfm_changed WHERE aggregated)
              AS agree`,
      shop,
    );
    return counts?.agree === true;
  };
  if (!(await agree())) {
    await exec(
      tx,
      `INSERT INTO rfm_changed
       SELECT cs."customerId", false, NULL, NULL, NULL, true, cs."lastOrderDate", cs.frequency, cs.monetary
       FROM "CustomerScore" cs
       WHERE cs.shop = $1 AND NOT EXISTS (SELECT 1 FROM "CustomerAggregate" a WHERE a.shop = $1 AND a."customerId" = cs."customerId")`,
      [shop],
    );
    if (!(await agree())) {
      await tx.$executeRawUnsafe(`DROP TABLE rfm_changed`);
      return false;
    }
  }
  await exec(
    tx,
    `CREATE TEMP TABLE rfm_hist ON COMMIT DROP AS
     ${HISTOGRAM_ROWS(`SELECT dim, v, sum(c)::bigint AS c FROM (
        SELECT dim, v, customers AS c FROM "ScoreValueCount" WHERE shop = $1
        UNION ALL SELECT x.* FROM rfm_changed n, LATERAL (${valueCountsOf("n", "1")}) x WHERE n.aggregated
        UNION ALL SELECT x.* FROM (SELECT old_date AS last_date, old_frequency AS frequency, old_monetary AS monetary
                                   FROM rfm_changed WHERE scored) o, LATERAL (${valueCountsOf("o", "-1")}) x) d
      GROUP BY dim, v HAVING sum(c) > 0`)}`,
    [shop],
  );
  return true;
}

/** Each dimension's histogram (value v, customers c) from rfm_values (windowed runs) or rfm_hist ($4 asOf). */
type HistogramOf = (dim: "r" | "f" | "m") => string;
const VALUES_HISTOGRAM: HistogramOf = (dim) =>
  `SELECT ${{ r: "days", f: "frequency", m: "monetary" }[dim]} AS v, count(*) AS c FROM rfm_values GROUP BY 1`;
const AGGREGATE_HISTOGRAM: HistogramOf = (dim) =>
  `SELECT ${{ r: "greatest(0, $4::date - last_date)", f: "frequency", m: "monetary" }[dim]} AS v, sum(c)::bigint AS c
   FROM rfm_hist WHERE dim = '${dim}' GROUP BY 1`;

/**
 * Full run: value → score maps (rfm_rs, rfm_fs, rfm_ms) from histograms of
 * the distinct values. L (strictly worse) is the running count of the values
 * before this one — rank() without sorting every customer. $1 scale, $2 n,
 * $3 F thresholds. rfm_ms.better counts strictly higher spend (VIP tiers).
 */
function rankMapsSql(frequencyByRank: boolean, histogram: HistogramOf): string[] {
  const map = (table: string, dim: "r" | "f" | "m", order: "ASC" | "DESC") =>
    `CREATE TEMP TABLE ${table} ON COMMIT DROP AS
     SELECT v, (1 + ($1::int * ((sum(c) OVER (ORDER BY v ${order}))::bigint - c)) / $2::bigint)::int AS score, c,
            $2::bigint - (sum(c) OVER (ORDER BY v ASC))::bigint AS better
     FROM (${histogram(dim)}) h`;
  // sum() of bigint is numeric: cast back, or the division below would not floor.
  return [
    map("rfm_rs", "r", "DESC"),
    frequencyByRank
      ? map("rfm_fs", "f", "ASC")
      : `CREATE TEMP TABLE rfm_fs ON COMMIT DROP AS
         SELECT v, ${THRESHOLD_SCORE("v", "$3")} AS score, c, NULL::bigint AS better FROM (${histogram("f")}) h`,
    map("rfm_ms", "m", "ASC"),
  ];
}

/**
 * A value's score from a full run's cut-offs (R: max days per score; F, M:
 * min value per score; null where a score was empty) — how customers are
 * scored between full runs, and what a daily run compares the new ranks to.
 */
const CUTOFF_SCORE = {
  r: (v: string, maxDays: string) => highestScore(`${v} <=`, `${maxDays}::int[]`),
  f: (v: string, minOrders: string) => highestScore(`${v} >=`, `${minOrders}::int[]`),
  m: (v: string, minSpend: string) => highestScore(`${v} >=`, `${minSpend}::numeric[]`),
};
/** The largest scale (settings: 4 or 5); a subscript past a shorter array's end is NULL and never matches. */
const MAX_SCALE = 5;
/** The highest score whose cut-off the value meets, else 1: a CASE per score, cheaper than unnest per value. */
const highestScore = (test: string, cutoffs: string) =>
  `(CASE ${Array.from({ length: MAX_SCALE }, (_, i) => MAX_SCALE - i)
    .map((score) => `WHEN ${test} (${cutoffs})[${score}] THEN ${score}`)
    .join(" ")} ELSE 1 END)`;
/** F in thresholds mode: how many thresholds the order count reaches. */
const THRESHOLD_SCORE = (v: string, thresholds: string) =>
  `(SELECT count(*)::int FROM unnest(${thresholds}::int[]) t WHERE t <= ${v})`;
/** F from cut-offs ($minOrders) or, in thresholds mode, from the thresholds (non-null $thresholds). */
const cutoffFrequencyScore = (v: string, minOrders: string, thresholds: string) =>
  `CASE WHEN ${thresholds}::int[] IS NULL THEN ${CUTOFF_SCORE.f(v, minOrders)} ELSE ${THRESHOLD_SCORE(v, thresholds)} END`;

/**
 * Incremental run: the same maps, from the last full run's cut-offs ($1 R max
 * days per score, $2 F min, $3 M min), $4 F thresholds.
 */
const CUTOFF_MAPS_SQL = [
  `CREATE TEMP TABLE rfm_rs ON COMMIT DROP AS
   SELECT v, ${CUTOFF_SCORE.r("h.v", "$1")} AS score, c, NULL::bigint AS better FROM (${VALUES_HISTOGRAM("r")}) h`,
  `CREATE TEMP TABLE rfm_fs ON COMMIT DROP AS
   SELECT v, ${cutoffFrequencyScore("h.v", "$2", "$4")} AS score, c, NULL::bigint AS better FROM (${VALUES_HISTOGRAM("f")}) h`,
  `CREATE TEMP TABLE rfm_ms ON COMMIT DROP AS
   SELECT v, ${CUTOFF_SCORE.m("h.v", "$3")} AS score, c, NULL::bigint AS better FROM (${VALUES_HISTOGRAM("m")}) h`,
];

const SCORED = `(SELECT v.*, rs.score AS r, fs.score AS f, ms.score AS m
   FROM rfm_values v JOIN rfm_rs rs ON rs.v = v.days JOIN rfm_fs fs ON fs.v = v.frequency JOIN rfm_ms ms ON ms.v = v.monetary)`;

const PREDICTION_KEYS_SQL = `ARRAY[${PREDICTION_BEHAVIOURS.map((k) => `'${k}'`).join(", ")}]::text[]`;

/**
 * What a customer has now: their stored score, or on a shop's first run (no
 * scores stored) none — a row of NULLs the planner folds into the rules below
 * instead of joining every customer to an empty table.
 */
const storedScoreOf = (fresh: boolean) =>
  fresh
    ? `CROSS JOIN (SELECT NULL::text AS segment, NULL::text[] AS behaviours, NULL::date[] AS "behaviourSince",
         NULL::date AS "segmentSince", NULL::text AS "candidateSegment", NULL::int AS "candidateRuns",
         NULL::date AS "lastOrderDate", NULL::int AS frequency, NULL::numeric(18, 4) AS monetary,
         NULL::int AS r, NULL::int AS f, NULL::int AS m) cs`
    : `LEFT JOIN "CustomerScore" cs ON cs.shop = $1 AND cs."customerId" = t.customer_id`;

/**
 * The target segment and behaviours of every scored customer, next to what
 * they have now, with the stability rule applied (a SELECT; parameters in
 * NEXT_PARAMS order). The behaviour CASEs and lost_engaged are behavioursOf
 * and refinedSegment (domain/rfm/behaviour-rules.ts) set-wise. "OFFSET 0"
 * keeps target and decided subqueries: flattened, each reference to one of
 * their columns would repeat its expression (the behaviour arrays three
 * times per customer).
 */
function nextSql(brandLoyal: boolean, customers: Customers, signalMask: number, fresh: boolean): string {
  const brand = `SELECT o."customerId" AS cid FROM "Order" o
       WHERE o.shop = $1 AND ${COUNTED} AND o."customerId" IN (SELECT customer_id FROM rfm_values)
       GROUP BY 1
       HAVING bool_and(EXISTS (SELECT 1 FROM "OrderLine" l WHERE l.shop = o.shop AND l."orderId" = o.id AND l.vendor = ANY($14::text[])))`;
  return `WITH sale AS (
    -- Only the orders of the candidate days, each day a local-midnight range on Order(shop, processedAt).
    SELECT o."customerId" AS cid, count(*) AS n
    FROM unnest($11::date[]) d
    JOIN "Order" o ON o.shop = $1 AND o."processedAt" >= (d::timestamp AT TIME ZONE $3)
      AND o."processedAt" < ((d + 1)::timestamp AT TIME ZONE $3)
    WHERE ${COUNTED} AND ${customers === "listed" ? `o."customerId" = ANY($19::bigint[])` : customersOf(`o."customerId"`, customers)}
    GROUP BY 1
  ), brand AS (${brandLoyal ? brand : `SELECT NULL::bigint AS cid WHERE false`}),
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
        CASE WHEN ${brandLoyal ? "brand.cid IS NOT NULL" : "false"} THEN 'brand_loyal' END,
        CASE WHEN s.lifetime_spend >= $9::numeric AND s.days >= $10::int THEN 'high_value_at_risk' END
      ]::text[], NULL) AS rule_behaviours
    FROM ${SCORED} s
    JOIN (SELECT i::int AS i, key FROM unnest($5::text[]) WITH ORDINALITY l(key, i)) seg
      ON seg.i = (s.r - 1) * $4::int * $4::int + (s.f - 1) * $4::int + s.m
    LEFT JOIN "CustomerEngagement" e ON e.shop = $1 AND e."customerId" = s.customer_id
    LEFT JOIN "CustomerEngagementSignal" sig ON sig.shop = $1 AND sig."customerId" = s.customer_id
    LEFT JOIN sale ON sale.cid = s.customer_id
    ${brandLoyal ? "LEFT JOIN brand ON brand.cid = s.customer_id" : ""}
    OFFSET 0
  ), decided AS (
    -- The prediction behaviours are the prediction job's (applyPredictions): a run keeps them as they are.
    SELECT t.*, array_cat(t.rule_behaviours, ARRAY(SELECT b FROM unnest(cs.behaviours) b WHERE b = ANY(${PREDICTION_KEYS_SQL}))) AS target_behaviours,
      cs.segment AS old_segment, cs.behaviours AS old_behaviours, cs."behaviourSince" AS old_bsince, cs."segmentSince" AS old_since,
      cs."candidateSegment" AS old_candidate, cs."candidateRuns" AS old_runs,
      cs."lastOrderDate" AS old_last_date, cs.frequency AS old_frequency, cs.monetary AS old_monetary,
      cs.r AS old_r, cs.f AS old_f, cs.m AS old_m,
      CASE
        WHEN cs.segment IS NULL OR t.target = cs.segment OR $17::int <= 1 THEN t.target
        WHEN $18::boolean AND cs."candidateSegment" = t.target AND cs."candidateRuns" + 1 >= $17::int THEN t.target
        ELSE cs.segment
      END AS segment
    FROM target t
    ${storedScoreOf(fresh)}
    OFFSET 0
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

/** CustomerBehaviour (migration 20261206205000): one row per customer and behaviour, with the page's sort keys. */
const BEHAVIOUR_COLUMNS = `shop, behaviour, "customerId", monetary, "lastOrderDate", frequency`;

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

/** Tables partitioned by shop (LIST) whose large shops get their own partition on a first run, with their keys. */
type ShopPartitioned = "CustomerScore" | "CustomerBehaviour";
const PRIMARY_KEY: Record<ShopPartitioned, string> = {
  CustomerScore: `shop, "customerId"`,
  CustomerBehaviour: `shop, behaviour, "customerId"`,
};

/** The shop's own partition of a table, when it has one. */
async function shopPartition(
  tx: DbTx,
  shop: string,
  parent: ShopPartitioned = "CustomerScore",
): Promise<string | null> {
  const rows = await query<{ name: string }[]>(
    tx,
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = format('%I', $2::text)::regclass
       AND pg_get_expr(c.relpartbound, c.oid) = format('FOR VALUES IN (%L)', $1::text)`,
    shop,
    parent,
  );
  return rows[0]?.name ?? null;
}

/**
 * A shop's first large run: the rows go into a fresh table in key order
 * (fill), its primary key and the parent's indexes are built afterwards (a
 * sort each, instead of a B-tree insert per row and index), then it is
 * attached as the shop's partition, replacing any old one (left empty by the
 * shop's earlier runs). Returns the rows written.
 */
async function writeOwnPartition(
  tx: DbTx,
  shop: string,
  parent: ShopPartitioned,
  fill: (table: string) => Promise<number>,
): Promise<number> {
  const old = await shopPartition(tx, shop, parent);
  // Dropping a partition locks the whole parent (ACCESS EXCLUSIVE) until commit; only a shop that had
  // an own partition and lost its scores (reinstall) pays it.
  if (old) await exec(tx, `DROP TABLE "${old}"`, []);
  // The CHECK spares ATTACH its scan of the new table; declared with the table, each row is checked as it is
  // written instead of by a scan of them all.
  const [named] = await query<{ name: string; create: string; attach: string }[]>(
    tx,
    `SELECT t.name,
       format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS, CONSTRAINT %I CHECK (shop = %L))',
              t.name, $2::text, t.name || '_shop', $1::text) AS create,
       format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES IN (%L)', $2::text, t.name, $1::text) AS attach
     FROM (SELECT $2::text || '_' || left(md5($1::text), 16) AS name) t`,
    shop,
    parent,
  );
  if (!named) throw new Error("no partition name");
  const table = `"${named.name}"`;
  await exec(tx, named.create, []);
  const written = await fill(table);
  // Each index build sorts the whole shop: in memory, not in runs spilled to disk.
  await exec(tx, `SET LOCAL maintenance_work_mem = '256MB'`, []);
  await exec(tx, `ALTER TABLE ${table} ADD PRIMARY KEY (${PRIMARY_KEY[parent]})`, []);
  // The parent's indexes by definition, so ATTACH finds each one built and only links it.
  const indexes = await query<{ def: string }[]>(
    tx,
    `SELECT indexdef AS def FROM pg_indexes
     WHERE schemaname = current_schema() AND tablename = $1 AND indexname <> $1 || '_pkey'`,
    parent,
  );
  const onTable = (def: string) =>
    def.replace(
      /^CREATE (UNIQUE )?INDEX \S+ ON (ONLY )?\S+ /,
      (_m, unique: string | undefined) => `CREATE ${unique ?? ""}INDEX ON ${table} `,
    );
  for (const { def } of indexes) await exec(tx, onTable(def), []);
  // The default partition's own indexes (the sort indexes, migration 20261207110000), without the leading
  // shop: this table holds one shop, and each sort then compares one column less.
  const local = await query<{ def: string }[]>(
    tx,
    `SELECT pg_get_indexdef(x.indexrelid) AS def FROM pg_index x
     WHERE x.indrelid = format('%I', $1::text || '_default')::regclass
       AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = x.indexrelid)
     ORDER BY x.indexrelid`,
    parent,
  );
  for (const { def } of local) await exec(tx, onTable(def).replace(/ \(shop, /, " ("), []);
  // ATTACH takes SHARE UPDATE EXCLUSIVE on the parent
  // (other shops keep reading and writing theirs) and ACCESS EXCLUSIVE on the default partition, which it
  // scans for rows of this shop, until commit: the run attaches after writing, so the lock covers only the
  // summary queries that follow.
  await exec(tx, named.attach, []);
  await exec(tx, `ALTER TABLE ${table} DROP CONSTRAINT "${named.name}_shop"`, []);
  return written;
}

/**
 * A first large run's scores and behaviour members, each into the shop's own
 * partition. The members are read from the scores' partition before it is
 * attached (no trigger fires there), in key order.
 */
async function writeOwnPartitions(
  tx: DbTx,
  shop: string,
  next: string,
  params: unknown[],
  valuesFrom: ValuesFrom,
): Promise<number> {
  let scores = "";
  const written = await writeOwnPartition(tx, shop, "CustomerScore", (table) => {
    scores = table;
    return exec(tx, `INSERT INTO ${table} (${SCORE_COLUMNS}) ${scoreRowsSql(`(${next})`)}`, params);
  });
  // The rank histogram of what was written, for the next daily run: rfm_hist when the values are the
  // aggregates (it is their histogram), else the run's values grouped the same way.
  const counted = valuesFrom === "aggregates" ? "rfm_hist" : `(${HISTOGRAM_SQL_OF("rfm_values")})`;
  await exec(
    tx,
    `INSERT INTO "ScoreValueCount" (shop, dim, v, customers)
     SELECT $1, dim, v, c FROM (
       SELECT dim, coalesce((last_date - date '1970-01-01')::numeric, frequency::numeric, monetary) AS v, c FROM ${counted} h) x
     ORDER BY dim, v`,
    [shop],
  );
  await writeOwnPartition(tx, shop, "CustomerBehaviour", (table) =>
    exec(
      tx,
      `INSERT INTO ${table} (${BEHAVIOUR_COLUMNS})
       SELECT s.shop, b, s."customerId", s.monetary, s."lastOrderDate", s.frequency
       FROM ${scores} s, unnest(s.behaviours) b ORDER BY 2, 3`,
      [],
    ),
  );
  return written;
}

/**
 * History: the stays that ended become SegmentMembership rows ($1 shop, $2
 * asOf). Open stays live in CustomerScore. A stay that began today and ends
 * today is not history.
 */
/**
 * The Flow trigger outbox: one event per customer whose segment changed,
 * including customers scored for the first time (fromSegment null, or
 * 'browsing' for a browser's first order). Only changed rows are staged in
 * rfm_next, so this costs nothing on quiet runs.
 */
const FLOW_EVENTS_SQL = `INSERT INTO "FlowTriggerEvent" (shop, "customerId", "fromSegment", "toSegment", r, f, m, "changedOn")
  SELECT $1, n.customer_id, coalesce(n.old_segment, CASE WHEN b."customerId" IS NOT NULL THEN 'browsing' END),
    n.segment, n.r, n.f, n.m, $2::date
  FROM rfm_next n LEFT JOIN "CustomerBrowsing" b ON b.shop = $1 AND b."customerId" = n.customer_id
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

/**
 * Customers no longer scored (no order in the window, deleted, redacted): their stays end, their scores go.
 * Scored means in rfm_values, or, when a daily run read only its scope, having an aggregate.
 */
async function removeUnscored(
  tx: DbTx,
  shop: string,
  asOf: string,
  customerIds: bigint[] | null,
  customers: Customers = "all",
): Promise<number> {
  const scored =
    customers === "scope"
      ? `SELECT 1 FROM "CustomerAggregate" a WHERE a.shop = $1 AND a."customerId" = cs."customerId"`
      : `SELECT 1 FROM rfm_values v WHERE v.customer_id = cs."customerId"`;
  const gone = `FROM "CustomerScore" cs
    WHERE cs.shop = $1 AND ($3::bigint[] IS NULL OR cs."customerId" = ANY($3::bigint[]))
      AND NOT EXISTS (${scored})`;
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
  /** Score every customer even where a daily run could score only what changed (tests compare the two). */
  scoreEveryone?: boolean;
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

/** Each score's cut-off value (null where the score was empty), indexed by score − 1. */
const byScore = <V>(list: Cutoff<V>[], scale: number, pick: (c: Cutoff<V>) => V) =>
  Array.from({ length: scale }, (_, i) => {
    const c = list.find((x) => x.score === i + 1);
    return c ? pick(c) : null;
  });

/**
 * The earliest start of a transaction open now (ours included), to the
 * millisecond below. An aggregate recompute stamps computedAt with its
 * transaction's start, so one this run does not see (committed after its
 * reads) has computedAt at or after this instant: the next daily run takes
 * aggregates from here on as changed.
 */
async function openSince(tx: DbTx): Promise<Date> {
  const [row] = await query<{ at: Date }[]>(
    tx,
    `SELECT date_trunc('milliseconds', coalesce(min(xact_start), now())) - interval '1 millisecond' AS at
     FROM pg_stat_activity WHERE datname = current_database() AND xact_start IS NOT NULL`,
  );
  if (!row) throw new Error("no transaction start");
  return row.at;
}

/** The last full run a daily run can score against by changes only. */
interface DailyBase {
  asOf: string;
  changesFrom: string;
  cutoffs: RunCutoffs;
  stats: Pick<RunStats, "vipMinSpend" | "highValueMinSpend" | "launchDays">;
  segments: string[];
}

/**
 * The latest full run, when today's result can differ from it only where
 * something changed: same settings and time zone, an earlier or the same
 * day, every aggregate a score (a first run, or a shop that lost its scores,
 * scores everyone). Windowed shops rank orders of a moving window and are
 * always scored whole (the caller checks).
 */
async function dailyBase(tx: DbTx, shop: string, asOf: string, ctx: ShopContext): Promise<DailyBase | null> {
  const base = await latestFullRun(tx, shop);
  if (!base) return null;
  const stats = RunStats.safeParse(base.stats);
  const settings = RfmSettings.safeParse(base.settings);
  const cutoffs = RunCutoffs.safeParse(base.cutoffs);
  const summary = RunSummary.safeParse(base.summary);
  if (!stats.success || !settings.success || !cutoffs.success || !summary.success) return null;
  const { changesFrom, timezone } = stats.data;
  const baseAsOf = isoDay(epochDay(base.asOf.toISOString().slice(0, 10)));
  if (!changesFrom || timezone !== ctx.tz || baseAsOf > asOf) return null;
  if (JSON.stringify(scoringInputsOf(settings.data)) !== JSON.stringify(scoringInputsOf(ctx.settings))) return null;
  if ((await tx.customerScore.findFirst({ where: { shop }, select: { customerId: true } })) === null) return null;
  return {
    asOf: baseAsOf,
    changesFrom,
    cutoffs: cutoffs.data,
    stats: stats.data,
    segments: Object.keys(summary.data.segments),
  };
}

/**
 * A daily run's scope (temp table rfm_scope): every customer whose result can
 * differ from the one stored, found by index instead of by comparing every
 * customer. A customer's result is a function of their aggregate, the day,
 * and shop-wide values (rank maps, VIP and high-value spends, launch days,
 * median gap); so the scope is:
 * - aggregates recomputed since the last full run (changesFrom);
 * - customers whose stored value now maps to another score or threshold
 *   side: the distinct values (a few thousand, from rfm_hist) are compared
 *   old map vs new, and the customers holding the values that moved are read
 *   by the segment indexes. The day's shift is exact: recency is asOf − last
 *   order date, so each last order date is mapped with the old run's R
 *   cut-offs at its asOf and with today's ranks at today's, and the dates
 *   whose R score or high-value-at-risk side differ are the ones whose
 *   customers crossed a boundary (typically one or two dates per score);
 * - date- or gap-driven behaviours: customers refunded since their last
 *   order (dissatisfied turns on at their own gap or the shop median),
 *   engaged within the lost-engaged windows of either day (the pixel's dates), Lost customers with Shopify's
 *   windowed signals and every Lost-but-engaged one (the signals carry no dates and are replaced each sync), customers
 *   waiting out the stability rule (their run count moves daily);
 * - customers who ordered on a launch day that appeared or went.
 * Returns the scope's size.
 */
async function scopeOfDay(
  tx: DbTx,
  shop: string,
  asOf: string,
  ctx: ShopContext,
  lookup: string[],
  stats: Pick<RunStats, "vipMinSpend" | "highValueMinSpend" | "launchDays">,
  base: DailyBase,
): Promise<number> {
  const { scale, behaviours } = ctx.settings;
  const never = "1e30";
  const thresholds = ctx.settings.frequencyMode === "thresholds" ? frequencyThresholdsOf(ctx.settings) : null;
  const [dates] = await query<{ v: string[] }[]>(
    tx,
    `SELECT coalesce(array_agg(h.last_date::text), '{}') AS v FROM (SELECT DISTINCT last_date FROM rfm_hist WHERE dim = 'r') h
     JOIN rfm_rs rs ON rs.v = greatest(0, $1::date - h.last_date)
     WHERE rs.score <> ${CUTOFF_SCORE.r("greatest(0, $2::date - h.last_date)", "$3")}
        OR (greatest(0, $1::date - h.last_date) >= $4::int) <> (greatest(0, $2::date - h.last_date) >= $4::int)`,
    asOf,
    base.asOf,
    byScore(base.cutoffs.r, scale, (c) => c.max),
    behaviours.highValueInactiveDays,
  );
  const [frequencies] = await query<{ v: number[] }[]>(
    tx,
    `SELECT coalesce(array_agg(h.frequency), '{}') AS v FROM (SELECT DISTINCT frequency FROM rfm_hist WHERE dim = 'f') h
     JOIN rfm_fs fs ON fs.v = h.frequency
     WHERE fs.score <> ${cutoffFrequencyScore("h.frequency", "$1", "$2")}`,
    byScore(base.cutoffs.f, scale, (c) => c.min),
    thresholds,
  );
  const spends = (s: Pick<RunStats, "vipMinSpend" | "highValueMinSpend">) => [
    ...VIP_TIERS.map((t) => s.vipMinSpend[t.key] ?? never),
    s.highValueMinSpend ?? never,
  ];
  const now = spends(stats);
  const then = spends(base.stats);
  const [monies] = await query<{ v: string[] }[]>(
    tx,
    `SELECT coalesce(array_agg(h.monetary::text), '{}') AS v FROM (SELECT DISTINCT monetary FROM rfm_hist WHERE dim = 'm') h
     JOIN rfm_ms ms ON ms.v = h.monetary
     WHERE ms.score <> ${CUTOFF_SCORE.m("h.monetary", "$1")}
        OR EXISTS (SELECT 1 FROM unnest($2::numeric[], $3::numeric[]) t(today, before) WHERE (h.monetary >= t.today) <> (h.monetary >= t.before))`,
    byScore(base.cutoffs.m, scale, (c) => c.min),
    now,
    then,
  );
  const launch = new Set(stats.launchDays);
  const launchBefore = new Set(base.stats.launchDays);
  const launchMoved = [
    ...stats.launchDays.filter((d) => !launchBefore.has(d)),
    ...base.stats.launchDays.filter((d) => !launch.has(d)),
  ];
  // A day before the earlier window start: timestamps compare with dates in any session time zone.
  const engagedFrom = `${isoDay(epochDay(base.asOf) - Math.max(behaviours.lostEngagedVisitDays, behaviours.lostEngagedClickDays) - 1)}T00:00:00Z`;
  const segments = [...new Set([...lookup, "lost_engaged", ...base.segments])];
  const byValue = (column: string, param: string) =>
    `SELECT "customerId" FROM "CustomerScore" WHERE shop = $1 AND segment = ANY($4::text[]) AND "${column}" = ANY(${param})`;
  const scope = await exec(
    tx,
    `CREATE TEMP TABLE rfm_scope ON COMMIT DROP AS
     SELECT "customerId" AS customer_id FROM "CustomerAggregate" WHERE shop = $1 AND "computedAt" >= $2::timestamptz
     UNION SELECT "customerId" FROM "CustomerAggregate" WHERE shop = $1 AND "lastRefundAt" >= "lastOrderAt"
     UNION SELECT "customerId" FROM "CustomerEngagement" WHERE shop = $1 AND greatest("lastVisitAt", "lastEmailClickAt") >= $3::timestamptz
     UNION SELECT "customerId" FROM "CustomerScore" WHERE shop = $1 AND segment = 'lost_engaged'
     UNION SELECT g."customerId" FROM "CustomerEngagementSignal" g
       JOIN "CustomerScore" cs ON cs.shop = g.shop AND cs."customerId" = g."customerId"
       WHERE g.shop = $1 AND g.signals <> 0 AND cs.segment = 'lost'
     UNION SELECT "customerId" FROM "CustomerScore" WHERE shop = $1 AND "candidateSegment" IS NOT NULL
     UNION ${byValue("lastOrderDate", "$5::date[]")}
     UNION ${byValue("frequency", "$6::int[]")}
     UNION ${byValue("monetary", "$7::numeric[]")}
     UNION SELECT o."customerId" FROM unnest($8::date[]) d
       JOIN "Order" o ON o.shop = $1 AND o."processedAt" >= (d::timestamp AT TIME ZONE $9)
        AND o."processedAt" < ((d + 1)::timestamp AT TIME ZONE $9)
       WHERE ${COUNTED}`,
    [
      shop,
      base.changesFrom,
      engagedFrom,
      segments,
      dates?.v ?? [],
      frequencies?.v ?? [],
      monies?.v ?? [],
      launchMoved,
      ctx.tz,
    ],
  );
  await tx.$executeRawUnsafe(`ANALYZE rfm_scope`);
  logger.debug(
    {
      scope,
      dates: dates?.v.length,
      frequencies: frequencies?.v.length,
      monies: monies?.v.length,
      launchMoved: launchMoved.length,
    },
    "daily scoring scope",
  );
  return scope;
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
      const changesFrom = await openSince(tx);
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
      const daily =
        kind === "full" && windowStart === null && !options.scoreEveryone ? await dailyBase(tx, shop, asOf, ctx) : null;
      const histogram = daily && (await histogramOfDay(tx, shop, tz, daily.changesFrom)) ? "counts" : "aggregates";
      if (histogram === "aggregates") await exec(tx, HISTOGRAM_SQL, [shop, tz]);
      let n: number;
      if (windowStart !== null) {
        await exec(tx, valuesSql(true, "all"), [shop, null, asOf, tz, windowStart]);
        const [count] = await query<{ n: number }[]>(tx, `SELECT count(*)::int AS n FROM rfm_values`);
        n = count?.n ?? 0;
      } else {
        const [count] = await query<{ n: number }[]>(
          tx,
          `SELECT coalesce(sum(c), 0)::int AS n FROM rfm_hist WHERE dim = 'f'`,
        );
        n = count?.n ?? 0;
      }
      const histogramOf = windowStart !== null ? VALUES_HISTOGRAM : AGGREGATE_HISTOGRAM;
      for (const sql of rankMapsSql(thresholds === null, histogramOf))
        await exec(tx, sql, [settings.scale, Math.max(n, 1), thresholds, asOf]);
      // Temp tables have no statistics: without them the planner sorts every customer to merge-join the small maps.
      await tx.$executeRawUnsafe(`ANALYZE rfm_hist, rfm_rs, rfm_fs, rfm_ms`);

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
      const [gapRow] = await queryRows(tx, "pipeline/score/median-gap.sql", shop);
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
      // Unwindowed, the values come from the aggregates: everyone's on a first run, only the changed scope's on a daily one.
      const customers: Customers = daily ? "scope" : "all";
      const scoped = daily ? await scopeOfDay(tx, shop, asOf, ctx, lookup, stats, daily) : null;
      if (windowStart === null) await exec(tx, valuesSql(false, customers), [shop, null, asOf, tz, null]);
      await tx.$executeRawUnsafe(`ANALYZE rfm_values`);

      const changedSegment = await applyNext(
        tx,
        shop,
        run.id,
        asOf,
        ctx,
        lookup,
        stats,
        null,
        customers,
        !sameDay,
        fireFlow,
        // Its own partition: from so many customers, and with where the values came from (its histogram).
        n >= (options.ownPartitionFrom ?? OWN_PARTITION_MIN_CUSTOMERS) &&
          (windowStart === null ? "aggregates" : "window"),
      );
      // After the write every scored customer has a row: more rows than scored customers means stale ones
      // (none when the shop had no scores before this run).
      let removed = 0;
      if (!changedSegment.fresh && (await storedScores(tx, shop)) !== n)
        removed = await removeUnscored(tx, shop, asOf, null, customers);
      // Not scored (nothing bought), so not in the scores above; a reconstruction has no past visits to read.
      const browsing =
        kind === "full" ? await refreshBrowsing(tx, shop, asOf, options.now ?? new Date(), fireFlow) : null;
      const cutoffs = await cutoffsOfRun(tx);
      const summaryStarted = Date.now();
      // A first run's own partition fired no trigger; a first run reads every score anyway.
      if (changedSegment.fresh) await refillScoreCells(tx, shop);
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
              changesFrom: changesFrom.toISOString(),
              timezone: tz,
              scope: { kind: scoped === null ? "all" : "changed", customers: scoped ?? n, histogram },
            } satisfies RunStats),
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
        flowEvents: changedSegment.flowEvents + (browsing?.flowEvents ?? 0),
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
  customers: Customers,
  isNewDay: boolean,
  fireFlow: boolean,
  ownPartition: false | ValuesFrom,
): Promise<{ changed: number; written: number; flowEvents: number; fresh: boolean }> {
  const b = ctx.settings.behaviours;
  // Shopify's windowed signals that count for lost_engaged (refinedSegment's rule); a number, so inlined.
  const signalMask =
    signalMaskWithin("visit", b.lostEngagedVisitDays) | signalMaskWithin("click", b.lostEngagedClickDays);
  const params = NEXT_PARAMS(shop, asOf, ctx, lookup, stats, isNewDay, customerIds, runId);
  const hasScores = (await tx.customerScore.findFirst({ where: { shop }, select: { customerId: true } })) !== null;
  const next = nextSql(b.brandVendors.length > 0, customers, signalMask, !hasScores);
  if (!hasScores) {
    // First run of a shop: nothing to compare with and no history to write, so no staging table.
    const written =
      ownPartition !== false && customers === "all"
        ? await writeOwnPartitions(tx, shop, next, params, ownPartition)
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
 * Statistics for the partitions that hold the shop's scores and behaviour members, right after a
 * first run filled it: the summary queries are planned for the rows now
 * there, not for the empty table autovacuum last saw. ANALYZE samples, so
 * this costs the same at any size. A few thousand rows added to the shared
 * default partition do not change its plans (and its ANALYZE would queue
 * behind other shops' runs), so only larger ones pay for it.
 */
async function analyzeScores(tx: DbTx, shop: string, written: number): Promise<void> {
  for (const parent of ["CustomerScore", "CustomerBehaviour"] as const) {
    const partition = await shopPartition(tx, shop, parent);
    if (partition) await exec(tx, `ANALYZE "${partition}"`, []);
    else if (written >= 10_000) await exec(tx, `ANALYZE "${parent}_default"`, []);
  }
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

/** The shop's stored scores, from their histogram (one row per order count) instead of counting every score. */
async function storedScores(tx: DbTx, shop: string): Promise<number> {
  const [row] = await query<{ n: number }[]>(
    tx,
    `SELECT coalesce(sum(customers), 0)::int AS n FROM "ScoreValueCount" WHERE shop = $1 AND dim = 'f'`,
    shop,
  );
  return row?.n ?? 0;
}

const LATEST_FULL_RUN = { kind: "full", finishedAt: { not: null } } as const;

/** The latest finished full run of a shop. */
export async function latestFullRun(db: Db | DbTx, shop: string) {
  return db.scoringRun.findFirst({ where: { shop, ...LATEST_FULL_RUN }, orderBy: { id: "desc" } });
}

/** The latest finished full run's given columns only (a page that shows one part need not read the summary). */
export function latestFullRunOf<S extends Prisma.ScoringRunSelect>(db: Db | DbTx, shop: string, select: S) {
  return db.scoringRun.findFirst({ where: { shop, ...LATEST_FULL_RUN }, orderBy: { id: "desc" }, select });
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
      const windowStart = windowStartOf(asOf, s.windowMonths);
      await tx.$executeRawUnsafe(`SET LOCAL jit = off`);
      await exec(tx, valuesSql(windowStart !== null, "listed"), [shop, ids, asOf, ctx.tz, windowStart]);
      const bounds = [
        byScore(cutoffs.r, s.scale, (c) => c.max),
        byScore(cutoffs.f, s.scale, (c) => c.min),
        byScore(cutoffs.m, s.scale, (c) => c.min),
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
        "listed",
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
