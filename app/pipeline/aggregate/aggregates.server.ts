import type { DbTx, Db } from "../../platform/db.server";
import { execute } from "../../platform/db/sql.server";
import { lockShopExclusive } from "./locks.server";
import { DEFAULT_PEAK_SEASONS, PeakSeason, peakRanges } from "../../domain/peak-seasons";

type Client = Db | DbTx;

export interface AggregateContext {
  timezone: string;
  /** End of the rolling 365-day window. */
  windowEnd: Date;
  peaks: { keys: string[]; starts: string[]; ends: string[] };
}

// The SQL: upsert-aggregates.sql and delete-stale-aggregates.sql beside this file; "which orders count"
// is counted-order.fragment.sql, pasted into both by the SQL generator.

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

/**
 * Recomputes the aggregates of the given customers (null: every customer of
 * the shop). Callers that pass customers queue their re-score (queueRescore)
 * in the same transaction.
 */
export async function recomputeAggregates(
  tx: Client,
  shop: string,
  customerIds: bigint[] | null,
  ctx: AggregateContext,
): Promise<void> {
  await execute(tx, "pipeline/aggregate/jit-off.sql");
  const { keys, starts, ends } = ctx.peaks;
  await execute(
    tx,
    "pipeline/aggregate/upsert-aggregates.sql",
    shop,
    customerIds,
    ctx.windowEnd,
    keys,
    starts,
    ends,
    ctx.timezone,
  );
  await execute(tx, "pipeline/aggregate/delete-stale-aggregates.sql", shop, customerIds);
}

/** Every aggregate of the shop from scratch, under the exclusive shop lock. */
export async function recomputeShopAggregates(db: Db, shop: string, windowEnd = new Date()): Promise<void> {
  const ctx = await aggregateContext(db, shop, windowEnd);
  await execute(db, "pipeline/aggregate/analyze-orders.sql");
  await db.$transaction(
    async (tx) => {
      await lockShopExclusive(tx, shop);
      await execute(tx, "pipeline/aggregate/delete-shop-aggregates.sql", shop);
      await recomputeAggregates(tx, shop, null, ctx);
    },
    { timeout: 10 * 60_000, maxWait: 60_000 },
  );
}
