import type { DbTx, Db } from "../../platform/db.server";
import { DEFAULT_PEAK_SEASONS, PeakSeason, peakRanges } from "../../domain/peak-seasons";

type Client = Db | DbTx;

export interface AggregateContext {
  timezone: string;
  /** End of the rolling 365-day window. */
  windowEnd: Date;
  peaks: { keys: string[]; starts: string[]; ends: string[] };
}

/** What counts for RFM (not test, not cancelled, not deleted, has a customer), as SQL over "Order" o. */
const COUNTED = `o."customerId" IS NOT NULL AND NOT o.test AND o."cancelledAt" IS NULL AND o."deletedAt" IS NULL`;

/**
 * The one definition of a customer's aggregate, as set-based SQL over Order
 * and Refund rows. $2 NULL = every customer of the shop; otherwise only the
 * listed customers. Both the webhook path and the full recompute run this.
 */
const UPSERT_AGGREGATES = `
WITH peaks AS MATERIALIZED (
  SELECT key, s, e, ord FROM unnest($4::text[], $5::date[], $6::date[]) WITH ORDINALITY AS p(key, s, e, ord)
), counted AS (
  SELECT o."customerId" AS cid, o.id, o."processedAt" AS at, o."totalPrice" AS gross, o."currentTotalPrice" AS net,
         cardinality(o."discountCodes") > 0 AS discounted
  FROM "Order" o
  WHERE o.shop = $1 AND ${COUNTED} AND ($2::bigint[] IS NULL OR o."customerId" = ANY($2::bigint[]))
), refunds AS (
  SELECT o."customerId" AS cid, count(*)::int AS n, sum(r.amount) AS amount, max(r."createdAt") AS last_at
  FROM "Refund" r JOIN "Order" o ON o.shop = r.shop AND o.id = r."orderId"
  WHERE r.shop = $1 AND ${COUNTED} AND ($2::bigint[] IS NULL OR o."customerId" = ANY($2::bigint[]))
  GROUP BY 1
), agg AS (
  SELECT cid, min(at) AS first_at, max(at) AS last_at, count(*)::int AS n, sum(gross) AS gross, sum(net) AS net,
         (array_agg(discounted ORDER BY at, id))[1] AS first_discounted,
         (min(at) AT TIME ZONE $7)::date AS first_local_date,
         (count(*) FILTER (WHERE discounted))::int AS n_disc,
         (count(*) FILTER (WHERE at > $3::timestamptz - interval '365 days' AND at <= $3::timestamptz))::int AS n365,
         coalesce(sum(gross) FILTER (WHERE at > $3::timestamptz - interval '365 days' AND at <= $3::timestamptz), 0) AS gross365,
         coalesce(sum(net) FILTER (WHERE at > $3::timestamptz - interval '365 days' AND at <= $3::timestamptz), 0) AS net365
  FROM counted GROUP BY cid
), first_peaks AS (
  -- Per distinct first-order date (a few thousand), not per customer.
  SELECT d, (SELECT p.key FROM peaks p WHERE d BETWEEN p.s AND p.e ORDER BY p.ord LIMIT 1) AS key
  FROM (SELECT DISTINCT first_local_date AS d FROM agg) dates
)
INSERT INTO "CustomerAggregate" AS ca (
  shop, "customerId", "firstOrderAt", "lastOrderAt", "orderCount", "grossSpend", "netSpend", "avgOrderValue",
  "refundCount", "refundAmount", "lastRefundAt", "discountOrderCount", "firstOrderDiscounted", "firstOrderPeak",
  "avgDaysBetweenOrders", "orders365", "gross365", "net365", "windowEnd", "computedAt")
SELECT $1, a.cid, a.first_at, a.last_at, a.n, a.gross, a.net, round(a.net / a.n, 4),
       coalesce(r.n, 0), coalesce(r.amount, 0), r.last_at, a.n_disc, a.first_discounted,
       fp.key,
       CASE WHEN a.n > 1 THEN extract(epoch FROM a.last_at - a.first_at) / 86400.0 / (a.n - 1) END,
       a.n365, a.gross365, a.net365, $3::timestamptz, now()
FROM agg a LEFT JOIN refunds r USING (cid) JOIN first_peaks fp ON fp.d = a.first_local_date
ON CONFLICT (shop, "customerId") DO UPDATE SET
  "firstOrderAt" = EXCLUDED."firstOrderAt", "lastOrderAt" = EXCLUDED."lastOrderAt", "orderCount" = EXCLUDED."orderCount",
  "grossSpend" = EXCLUDED."grossSpend", "netSpend" = EXCLUDED."netSpend", "avgOrderValue" = EXCLUDED."avgOrderValue",
  "refundCount" = EXCLUDED."refundCount", "refundAmount" = EXCLUDED."refundAmount", "lastRefundAt" = EXCLUDED."lastRefundAt",
  "discountOrderCount" = EXCLUDED."discountOrderCount", "firstOrderDiscounted" = EXCLUDED."firstOrderDiscounted",
  "firstOrderPeak" = EXCLUDED."firstOrderPeak", "avgDaysBetweenOrders" = EXCLUDED."avgDaysBetweenOrders",
  "orders365" = EXCLUDED."orders365", "gross365" = EXCLUDED."gross365", "net365" = EXCLUDED."net365",
  "windowEnd" = EXCLUDED."windowEnd", "computedAt" = EXCLUDED."computedAt"`;

const DELETE_STALE = `
DELETE FROM "CustomerAggregate" ca
WHERE ca.shop = $1 AND ($2::bigint[] IS NULL OR ca."customerId" = ANY($2::bigint[]))
  AND NOT EXISTS (SELECT 1 FROM "Order" o WHERE o.shop = ca.shop AND o."customerId" = ca."customerId" AND ${COUNTED})`;

/** Time zone, peak seasons and window end for a shop's aggregates. */
export async function aggregateContext(db: Client, shop: string, windowEnd = new Date()): Promise<AggregateContext> {
  const [shopRow, settings] = await Promise.all([
    db.shop.findUnique({ where: { shop }, select: { ianaTimezone: true } }),
    db.shopSettings.findUnique({ where: { shop }, select: { peakSeasons: true } }),
  ]);
  const parsed = PeakSeason.array().safeParse(settings?.peakSeasons);
  const seasons = parsed.success ? parsed.data : DEFAULT_PEAK_SEASONS;
  const year = windowEnd.getUTCFullYear();
  const ranges = peakRanges(seasons, 1995, year + 1);
  return {
    timezone: shopRow?.ianaTimezone ?? "UTC",
    windowEnd,
    peaks: { keys: ranges.map((r) => r.key), starts: ranges.map((r) => r.start), ends: ranges.map((r) => r.end) },
  };
}

/** Recomputes the aggregates of the given customers (null: every customer of the shop). */
export async function recomputeAggregates(
  tx: Client,
  shop: string,
  customerIds: bigint[] | null,
  ctx: AggregateContext,
): Promise<void> {
  // The planner prices the per-customer peak lookup high enough to JIT-compile
  // the query, which costs far more (~0.8 s) than running it.
  await tx.$executeRawUnsafe(`SET LOCAL jit = off`);
  const params = [shop, customerIds, ctx.windowEnd, ctx.peaks.keys, ctx.peaks.starts, ctx.peaks.ends, ctx.timezone];
  await tx.$executeRawUnsafe(UPSERT_AGGREGATES, ...params);
  await tx.$executeRawUnsafe(DELETE_STALE, shop, customerIds);
  // Same transaction: a committed change is always followed by a re-score.
  if (customerIds)
    await tx.$executeRawUnsafe(
      `INSERT INTO "PendingRescore" (shop, "customerId") SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`,
      shop,
      customerIds,
    );
}

// Shop-level lock: webhooks take it shared, the full recompute exclusively,
// so a full recompute never overwrites a fresher per-customer result.
export async function lockShopShared(tx: DbTx, shop: string): Promise<void> {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))`, `shop:${shop}`);
}

export async function lockShopExclusive(tx: DbTx, shop: string): Promise<void> {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, `shop:${shop}`);
}

/**
 * Serialises scoring runs of a shop with each other and with redaction, so a
 * run that read a customer before a redact can never write them back after it.
 */
export async function lockShopScoring(tx: DbTx, shop: string): Promise<void> {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, `scoring:${shop}`);
}

/** Serialises work on one customer's orders (concurrent webhooks for the same customer). */
export async function lockCustomers(tx: DbTx, shop: string, customerIds: bigint[]): Promise<void> {
  const sorted = [...new Set(customerIds.map(String))].sort();
  for (const id of sorted)
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, `customer:${shop}:${id}`);
}

/** Every aggregate of the shop from scratch, under the exclusive shop lock. */
export async function recomputeShopAggregates(db: Db, shop: string, windowEnd = new Date()): Promise<void> {
  const ctx = await aggregateContext(db, shop, windowEnd);
  // After a bulk load the planner's statistics are stale (it would plan for one row).
  await db.$executeRawUnsafe(`ANALYZE "Order", "Refund"`);
  await db.$transaction(
    async (tx) => {
      await lockShopExclusive(tx, shop);
      await tx.$executeRawUnsafe(`DELETE FROM "CustomerAggregate" WHERE shop = $1`, shop);
      await recomputeAggregates(tx, shop, null, ctx);
    },
    { timeout: 10 * 60_000, maxWait: 60_000 },
  );
}
