import type { Db } from "../../platform/db.server";
import { execute, queryRows } from "../../platform/db/sql.server";
import { aggregateContext } from "../aggregate/aggregates.server";
import { latestFullRun } from "../score/scoring.server";
import { LOST_SEGMENTS, LOYAL_SEGMENTS } from "../../domain/insights/segment-groups";
import { firstProductsInsight, MIN_SUPPORT } from "../../domain/insights/first-products";
import { couponInsight } from "../../domain/insights/coupons";
import { cohortInsight } from "../../domain/insights/cohorts";
import { channelInsight } from "../../domain/insights/channels";
import type { GroupCounts } from "../../domain/insights/group-stats";
import {
  ChannelInsight,
  CohortInsight,
  CouponInsight,
  FirstProductsInsight,
  type CohortInsight as CohortInsightT,
} from "../../domain/insights/shapes";

/** Older runs kept beside the newest (the page reads the newest only). */
const KEEP_RUNS = 3;

export interface InsightsOutcome {
  insightRunId: bigint;
  scoringRunId: bigint;
  customers: number;
}

/**
 * Computes where the shop's best customers come from for its latest full scoring run and stores it as one
 * InsightRun row: one sorted pass over the orders into a per-customer table, grouped by first-order products,
 * channels, coupons and cohorts, shaped by app/domain/insights/; the customers behind each group replace the shop's
 * InsightMember rows in the same transaction.
 */
export async function runInsights(db: Db, shop: string, minSupport = MIN_SUPPORT): Promise<InsightsOutcome | null> {
  const run = await latestFullRun(db, shop);
  if (!run) return null;
  const { timezone } = await aggregateContext(db, shop);
  // One sorted pass over the orders fills insight_buyer (temporary, this transaction's); the groupings read it.
  const [groups, coupons, curve, mix] = await db.$transaction(
    async (tx) => {
      await execute(tx, "pipeline/aggregate/jit-off.sql");
      await execute(tx, "pipeline/insights/insight-settings.sql");
      await execute(tx, "pipeline/insights/create-insight-buyers.sql");
      await execute(tx, "pipeline/insights/fill-insight-buyers.sql", shop, timezone);
      await execute(tx, "pipeline/insights/analyze-insight-buyers.sql");
      // The customers behind each group, replaced with the run they belong to: the lists match the stored figures.
      await execute(tx, "pipeline/insights/delete-insight-members.sql", shop);
      await execute(tx, "pipeline/insights/fill-insight-members.sql", shop);
      return [
        await queryRows(tx, "pipeline/insights/first-order-groups.sql", shop, [...LOYAL_SEGMENTS], [...LOST_SEGMENTS]),
        await queryRows(tx, "pipeline/insights/coupon-groups.sql"),
        await queryRows(tx, "pipeline/insights/cohort-curves.sql", shop, timezone),
        await queryRows(tx, "pipeline/insights/cohort-mix.sql"),
      ] as const;
    },
    { timeout: 10 * 60_000, maxWait: 60_000 },
  );
  const counts = (dim: string): GroupCounts[] =>
    groups
      .filter((g) => g.dim === dim)
      .map((g) => ({
        key: g.k,
        customers: g.customers,
        repeaters: g.repeaters,
        loyal: g.loyal,
        lost: g.lost,
        medianNetSpend: g.median_net,
      }));
  const shopCounts = counts("shop")[0] ?? { key: "", customers: 0, repeaters: 0, loyal: 0, lost: 0, medianNetSpend: 0 };
  const firstProducts = FirstProductsInsight.parse(
    firstProductsInsight(
      {
        shop: shopCounts,
        products: counts("product"),
        vendors: counts("vendor"),
        productTypes: counts("product_type"),
      },
      minSupport,
    ),
  );
  const channels = ChannelInsight.parse(
    channelInsight(
      { channels: counts("channel"), campaigns: counts("campaign"), journeys: counts("journey") },
      minSupport,
    ),
  );
  const couponCohorts = CouponInsight.parse(
    couponInsight(
      coupons.map((c) => ({
        kind: c.kind,
        coupon: c.coupon,
        segment: c.segment,
        customers: c.customers,
        repeaters: c.repeaters,
        medianNetSpend: c.median_net,
      })),
    ),
  );
  const cohorts: CohortInsightT = CohortInsight.parse(
    cohortInsight(
      curve.map((r) => ({
        cohort: r.cohort,
        offset: r.month_offset,
        net: r.net.toNumber(),
        secondOrders: r.second_orders,
      })),
      mix,
      run.asOf.toISOString().slice(0, 7),
    ),
  );
  const row = await db.insightRun.create({
    data: { shop, scoringRunId: run.id, firstProducts, couponCohorts, cohorts, channels },
    select: { id: true },
  });
  const stale = await db.insightRun.findMany({
    where: { shop },
    orderBy: { id: "desc" },
    skip: KEEP_RUNS + 1,
    select: { id: true },
  });
  if (stale.length > 0) await db.insightRun.deleteMany({ where: { shop, id: { in: stale.map((s) => s.id) } } });
  return { insightRunId: row.id, scoringRunId: run.id, customers: shopCounts.customers };
}

/** The newest stored insights, parsed (a row that does not parse is a bug, not "no data": it throws); null before the first run. */
export async function latestInsights(db: Db, shop: string) {
  const row = await db.insightRun.findFirst({ where: { shop }, orderBy: { id: "desc" } });
  return row ? parsedInsights(row) : null;
}

/**
 * The newest stored insights as the page shows them: the first products' groups only those in the first
 * `shown` keys of each ranked list (trimmed in SQL, so the page never parses every product's figures).
 */
export async function latestInsightsShown(db: Db, shop: string, shown: number) {
  const [row] = await queryRows(db, "pipeline/insights/latest-insights-shown.sql", shop, shown);
  if (!row) return null;
  return parsedInsights({
    id: row.id,
    scoringRunId: row.scoring_run_id,
    computedAt: row.computed_at,
    firstProducts: row.first_products,
    couponCohorts: row.coupon_cohorts,
    cohorts: row.cohorts,
    channels: row.channels,
  });
}

function parsedInsights(row: {
  id: bigint;
  scoringRunId: bigint;
  computedAt: Date;
  firstProducts: unknown;
  couponCohorts: unknown;
  cohorts: unknown;
  channels: unknown;
}) {
  return {
    id: row.id,
    scoringRunId: row.scoringRunId,
    computedAt: row.computedAt,
    firstProducts: FirstProductsInsight.parse(row.firstProducts),
    couponCohorts: CouponInsight.parse(row.couponCohorts),
    cohorts: CohortInsight.parse(row.cohorts),
    /** Null for runs stored before channels were computed. */
    channels: row.channels === null ? null : ChannelInsight.parse(row.channels),
  };
}
