import type { DbTx } from "../../platform/db.server";
import { execute } from "../../platform/db/sql.server";
import { lockShopScoring } from "../aggregate/locks.server";

/**
 * Every shop-scoped table, children first. A new table is added here, and the
 * retention tests count zero rows in each afterwards.
 */
const shopScoped = [
  (tx: DbTx, shop: string) => tx.complianceRequest.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.pendingRescore.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.writeBackPending.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.flowTriggerEvent.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.customerVisitDay.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.customerBrowsing.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.pendingPixelVisit.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.customerTagState.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.customerMetafieldState.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.shopifySegment.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.segmentMembership.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.customerScore.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.customerPrediction.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.predictionRun.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.forecastRun.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.insightRun.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.insightMember.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.scoringRun.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.writeBackRun.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.appDataRemoval.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.customerEngagement.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.customerEngagementSignal.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.engagementSync.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.customerAggregate.deleteMany({ where: { shop } }),
  // Counts kept by triggers on the scores and aggregates (emptied by the deletes above; removed here all the same).
  ...["ScoreCell", "ScoreStay", "GapDayCount"].map(
    (table) => (tx: DbTx, shop: string) => tx.$executeRawUnsafe(`DELETE FROM "${table}" WHERE shop = $1`, shop),
  ),
  (tx: DbTx, shop: string) => tx.orderLine.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.orderJourney.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.refund.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.order.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.customerMerge.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.customer.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.syncRange.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.syncRun.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.shopSettings.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.webhookInbox.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.inboxBatch.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.inboxShop.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.redactionMarker.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.session.deleteMany({ where: { shop } }),
  (tx: DbTx, shop: string) => tx.shop.deleteMany({ where: { shop } }),
];

/** shop/redact: erase everything we hold for the shop. */
export async function redactShop(tx: DbTx, shop: string): Promise<void> {
  await lockShopScoring(tx, shop);
  for (const remove of shopScoped) await remove(tx, shop);
}

/**
 * customers/redact: erase one customer's rows within one shop — the customer,
 * their aggregate, scores and segment history, merge links, and their orders (with lines, journeys and refunds),
 * plus any order Shopify lists in orders_to_redact — and the inbox payloads about them (purgeInbox).
 */
export async function redactCustomer(
  tx: DbTx,
  shop: string,
  customerId: bigint,
  ordersToRedact: bigint[] = [],
): Promise<void> {
  await lockShopScoring(tx, shop);
  const owned = await tx.order.findMany({ where: { shop, customerId }, select: { id: true } });
  // Orders of theirs still waiting in the inbox (not applied yet) count too: their refunds name only the order.
  const queued = await tx.webhookInbox.findMany({
    where: { shop, customerId, orderId: { not: null } },
    select: { orderId: true },
    distinct: ["orderId"],
  });
  const orderIds = [
    ...new Set([
      ...owned.map((o) => o.id),
      ...queued.flatMap((e) => (e.orderId === null ? [] : [e.orderId])),
      ...ordersToRedact,
    ]),
  ];
  await purgeInbox(tx, shop, customerId, orderIds);
  await tx.complianceRequest.deleteMany({ where: { shop, customerId } });
  await tx.pendingRescore.deleteMany({ where: { shop, customerId } });
  await tx.writeBackPending.deleteMany({ where: { shop, customerId } });
  await tx.customerTagState.deleteMany({ where: { shop, customerId } });
  await tx.customerMetafieldState.deleteMany({ where: { shop, customerId } });
  await tx.segmentMembership.deleteMany({ where: { shop, customerId } });
  await tx.insightMember.deleteMany({ where: { shop, customerId } });
  await execute(tx, "pipeline/forecast/redact-forecast-customer.sql", shop, String(customerId));
  await tx.customerScore.deleteMany({ where: { shop, customerId } });
  await tx.customerPrediction.deleteMany({ where: { shop, customerId } });
  await tx.customerEngagement.deleteMany({ where: { shop, customerId } });
  await tx.customerEngagementSignal.deleteMany({ where: { shop, customerId } });
  await tx.customerVisitDay.deleteMany({ where: { shop, customerId } });
  await tx.customerBrowsing.deleteMany({ where: { shop, customerId } });
  await tx.pendingPixelVisit.deleteMany({ where: { shop, customerId } });
  await tx.flowTriggerEvent.deleteMany({ where: { shop, customerId } });
  await tx.customerAggregate.deleteMany({ where: { shop, customerId } });
  await tx.orderLine.deleteMany({ where: { shop, orderId: { in: orderIds } } });
  await tx.orderJourney.deleteMany({ where: { shop, orderId: { in: orderIds } } });
  await tx.refund.deleteMany({ where: { shop, orderId: { in: orderIds } } });
  await tx.order.deleteMany({ where: { shop, id: { in: orderIds } } });
  await tx.customerMerge.deleteMany({ where: { shop, OR: [{ fromId: customerId }, { intoId: customerId }] } });
  await tx.customer.deleteMany({ where: { shop, id: customerId } });
}

/**
 * The inbox side of customers/redact: the payloads about the customer or their orders are emptied (the rows stay
 * until the prune, so Shopify's retries of them are still recognised as duplicates), and markers make the applier
 * drop any later delivery about them — a retry Shopify sends after this cannot bring the data back.
 */
async function purgeInbox(tx: DbTx, shop: string, customerId: bigint, orderIds: bigint[]): Promise<void> {
  await execute(tx, "pipeline/ingest/inbox/purge-customer-inbox.sql", shop, customerId, orderIds);
  await execute(tx, "pipeline/ingest/inbox/write-redaction-markers.sql", shop, customerId, orderIds);
}

/** app/uninstalled: tokens go at once; data stays until Shopify's shop/redact (48 h later). */
export async function markUninstalled(tx: DbTx, shop: string): Promise<void> {
  await tx.session.deleteMany({ where: { shop } });
  await tx.shop.updateMany({ where: { shop }, data: { uninstalledAt: new Date() } });
}

/** app/scopes_update: keep the stored sessions' scope in step with what the merchant granted. */
export async function updateGrantedScopes(tx: DbTx, shop: string, scopes: string[]): Promise<void> {
  await tx.session.updateMany({ where: { shop }, data: { scope: scopes.join(",") } });
}
