import type { Db } from "../platform/db.server";
import { execute, queryRows } from "../platform/db/sql.server";
import type { Logger } from "../platform/logger.server";
import type { AdminClient } from "../shopify/admin-client.server";
import { customerNodes } from "../shopify/customers.server";
import { applyChanges } from "../pipeline/ingest/inbox/apply-changes.server";
import type { CustomerPatch } from "../pipeline/ingest/inbox/webhook-topic";

/** Customers asked about per request (nodes takes up to 250 ids). */
const BATCH = 100;

/**
 * Parked pixel visits (PendingPixelVisit) become engagement only for
 * customers Shopify confirms in this shop; their profile is stored like a
 * customers/create. Ids Shopify does not know (or another shop's) are dropped.
 */
export async function verifyPixelCustomers(
  deps: { db: Db; admin: AdminClient; logger: Logger },
  shop: string,
): Promise<{ confirmed: number; dropped: number }> {
  let confirmed = 0;
  let dropped = 0;
  for (;;) {
    const pending = await queryRows(deps.db, "pixel/pending-visit-customers.sql", shop, BATCH);
    if (pending.length === 0) break;
    const ids = pending.map((p) => p.id);
    const found = await customerNodes(deps.admin, ids);
    const profiles: CustomerPatch[] = found.map((n) => ({
      id: BigInt(n.id.replace(/^gid:\/\/shopify\/Customer\//, "")),
      updatedAt: new Date(n.updatedAt),
      fields: {
        email: n.defaultEmailAddress?.emailAddress ?? null,
        firstName: n.firstName ?? null,
        lastName: n.lastName ?? null,
        locale: n.locale ?? null,
        tags: n.tags,
        phone: n.defaultPhoneNumber?.phoneNumber ?? null,
        countryCode: n.defaultAddress?.countryCodeV2 ?? null,
        emailMarketingState: n.defaultEmailAddress?.marketingState ?? null,
        emailMarketingOptInLevel: n.defaultEmailAddress?.marketingOptInLevel ?? null,
        emailMarketingUpdatedAt: dateOrNull(n.defaultEmailAddress?.marketingUpdatedAt),
        smsMarketingState: n.defaultPhoneNumber?.smsMarketingConsent?.state ?? null,
        smsMarketingOptInLevel: n.defaultPhoneNumber?.smsMarketingConsent?.optInLevel ?? null,
        smsMarketingUpdatedAt: dateOrNull(n.defaultPhoneNumber?.smsMarketingConsent?.updatedAt),
        createdAt: new Date(n.createdAt),
      },
    }));
    let foundIds: bigint[] = [];
    await deps.db.$transaction(async (tx) => {
      // Stored like a customers/create (the webhook rule, set-based).
      const changes = profiles.map((customer) => ({ kind: "customer" as const, customer }));
      const { deletedCustomers } = await applyChanges(tx, shop, changes);
      // A customer we hold a deletion for stays deleted: no engagement for them.
      foundIds = profiles.map((p) => p.id).filter((id) => !deletedCustomers.has(id));
      if (foundIds.length > 0) {
        await execute(tx, "pixel/confirm-visit-days.sql", shop, foundIds);
        await execute(tx, "pixel/confirm-engagement.sql", shop, foundIds);
      }
      await tx.pendingPixelVisit.deleteMany({ where: { shop, customerId: { in: ids } } });
    });
    confirmed += foundIds.length;
    dropped += ids.length - foundIds.length;
  }
  if (confirmed + dropped > 0)
    deps.logger.info({ shop, confirmed, dropped }, "pixel visits of new customers checked with Shopify");
  return { confirmed, dropped };
}

function dateOrNull(value: unknown): Date | null {
  return typeof value === "string" ? new Date(value) : null;
}
