import type { Db } from "../../platform/db.server";
import { execute } from "../../platform/db/sql.server";
import type { Logger } from "../../platform/logger.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { paceFor } from "../../shopify/pacing.server";
import { SEGMENT_MEMBERS_PAGE, segmentFilterNames, segmentMemberIdsPage } from "../../shopify/engagement.server";
import { availableSignals, signalQuery } from "../../domain/engagement";

export interface EngagementSyncDeps {
  db: Db;
  admin: AdminClient;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** A sync younger than this is fresh enough: the daily run and a retry of it do not page everything twice. */
const FRESH_MS = 20 * 3_600_000;

export type EngagementSyncOutcome =
  { status: "fresh" } | { status: "no-filters" } | { status: "synced"; members: number; pages: number };

/**
 * Learns per customer, from Shopify's own segment filters, whether they clicked a Shopify Email or viewed products
 * in each window of ENGAGEMENT_SIGNALS: every signal's query paged through customerSegmentMembers, paced on the
 * shop's bucket, one set-wise upsert per page. Only signals whose filter segmentFilters lists are asked; a shop with
 * none keeps the web pixel as its only source (its old signals go).
 */
export async function syncShopifyEngagement(
  deps: EngagementSyncDeps,
  shop: string,
  options: { force?: boolean; pageSize?: number } = {},
): Promise<EngagementSyncOutcome> {
  const now = deps.now ?? Date.now;
  const last = await deps.db.engagementSync.findUnique({ where: { shop } });
  if (!options.force && last?.syncedAt && now() - last.syncedAt.getTime() < FRESH_MS) return { status: "fresh" };
  const filters = await segmentFilterNames(deps.admin);
  const signals = availableSignals(filters);
  const facts = {
    emailEvents: filters.includes("shopify_email.clicked"),
    storefrontEvents: filters.includes("storefront_event.product_viewed"),
    checkedAt: new Date(now()),
  };
  await deps.db.engagementSync.upsert({
    where: { shop },
    create: { shop, ...facts },
    update: { ...facts, error: null },
  });
  if (signals.length === 0) {
    await deps.db.customerEngagementSignal.deleteMany({ where: { shop } });
    deps.logger.info({ shop }, "no Shopify Email or storefront event filters: the web pixel stays the source");
    return { status: "no-filters" };
  }
  const shopRow = await deps.db.shop.findUnique({ where: { shop }, select: { ianaTimezone: true } });
  // Windows are whole days of the shop (customerSegmentMembers reads relative dates in UTC unless told).
  const timezone = shopRow?.ianaTimezone ?? "UTC";
  const syncId = BigInt(now());
  const pageSize = options.pageSize ?? SEGMENT_MEMBERS_PAGE;
  let pages = 0;
  let lastResponseAt = now();
  try {
    for (const signal of signals) {
      let after: string | null = null;
      do {
        await paceFor(deps, pageSize + 2, lastResponseAt);
        const page = await segmentMemberIdsPage(deps.admin, signalQuery(signal), after, timezone, pageSize);
        lastResponseAt = now();
        pages++;
        if (page.customerIds.length > 0)
          await execute(deps.db, "pipeline/engagement/upsert-signal.sql", shop, page.customerIds, signal.bit, syncId);
        after = page.next;
      } while (after !== null);
    }
  } catch (error) {
    await deps.db.engagementSync.update({
      where: { shop },
      data: { error: error instanceof Error ? error.message : String(error) },
    });
    throw error;
  }
  const members = await deps.db.$transaction(async (tx) => {
    await execute(tx, "pipeline/engagement/drop-stale-signals.sql", shop, syncId);
    const count = await tx.customerEngagementSignal.count({ where: { shop } });
    await tx.engagementSync.update({
      where: { shop },
      data: { syncId, syncedAt: new Date(now()), members: count, error: null },
    });
    return count;
  });
  deps.logger.info({ shop, members, pages }, "Shopify engagement signals synced");
  return { status: "synced", members, pages };
}
