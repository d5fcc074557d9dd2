import type { DbTx } from "../../platform/db.server";
import { aggregateContext, recomputeAggregates } from "../aggregate/aggregates.server";
import { lockCustomers, lockShopShared } from "../aggregate/locks.server";
import { queueRescore } from "../score/rescore-queue.server";

export interface CustomerRecord {
  id: bigint;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  locale: string | null;
  tags: string[];
  phone: string | null;
  countryCode: string | null;
  /** Consent in the GraphQL enum form (SUBSCRIBED, …); app/domain/consent.ts decides what it allows. */
  emailMarketingState: string | null;
  emailMarketingOptInLevel: string | null;
  emailMarketingUpdatedAt: Date | null;
  smsMarketingState: string | null;
  smsMarketingOptInLevel: string | null;
  smsMarketingUpdatedAt: Date | null;
  createdAt: Date | null;
  updatedAt: Date;
}

/** A customer's profile fields (everything but the keys and Shopify's updated_at). */
export type CustomerProfile = Omit<CustomerRecord, "id" | "updatedAt">;

export type CustomerOutcome = "applied" | "stale" | "deleted" | "unchanged";

/**
 * customers/create|update: newer states only. An update that changes nothing
 * we keep (for example the echo of our own tag write) is "unchanged" and
 * triggers no work — customers/update never starts scoring or write-back.
 */
export async function applyCustomer(tx: DbTx, shop: string, record: CustomerRecord): Promise<CustomerOutcome> {
  const existing = await tx.customer.findUnique({ where: { shop_id: { shop, id: record.id } } });
  if (existing?.deletedAt) return "deleted";
  if (existing && existing.shopifyUpdatedAt > record.updatedAt) return "stale";
  const data = {
    email: record.email,
    firstName: record.firstName,
    lastName: record.lastName,
    locale: record.locale,
    tags: record.tags,
    phone: record.phone,
    countryCode: record.countryCode,
    emailMarketingState: record.emailMarketingState,
    emailMarketingOptInLevel: record.emailMarketingOptInLevel,
    emailMarketingUpdatedAt: record.emailMarketingUpdatedAt,
    smsMarketingState: record.smsMarketingState,
    smsMarketingOptInLevel: record.smsMarketingOptInLevel,
    smsMarketingUpdatedAt: record.smsMarketingUpdatedAt,
    shopifyCreatedAt: record.createdAt,
    shopifyUpdatedAt: record.updatedAt,
  };
  if (
    existing &&
    existing.email === data.email &&
    existing.firstName === data.firstName &&
    existing.lastName === data.lastName &&
    existing.locale === data.locale &&
    existing.phone === data.phone &&
    existing.countryCode === data.countryCode &&
    existing.emailMarketingState === data.emailMarketingState &&
    existing.emailMarketingOptInLevel === data.emailMarketingOptInLevel &&
    existing.emailMarketingUpdatedAt?.getTime() === data.emailMarketingUpdatedAt?.getTime() &&
    existing.smsMarketingState === data.smsMarketingState &&
    existing.smsMarketingOptInLevel === data.smsMarketingOptInLevel &&
    existing.smsMarketingUpdatedAt?.getTime() === data.smsMarketingUpdatedAt?.getTime() &&
    existing.tags.join("\u0000") === data.tags.join("\u0000")
  ) {
    await tx.customer.update({
      where: { shop_id: { shop, id: record.id } },
      data: { shopifyUpdatedAt: record.updatedAt },
    });
    return "unchanged";
  }
  await tx.customer.upsert({
    where: { shop_id: { shop, id: record.id } },
    create: { shop, id: record.id, ...data },
    update: data,
  });
  return "applied";
}

/** customers/delete: Shopify deletes only customers without orders; we keep a tombstone. */
export async function deleteCustomer(tx: DbTx, shop: string, id: bigint): Promise<void> {
  const now = new Date();
  await tx.customer.upsert({
    where: { shop_id: { shop, id } },
    create: { shop, id, tags: [], shopifyUpdatedAt: now, deletedAt: now },
    update: { deletedAt: now },
  });
  await tx.customerAggregate.deleteMany({ where: { shop, customerId: id } });
}

/** customers/merge: the deleted customer's orders now belong to the kept one. */
export async function mergeCustomers(tx: DbTx, shop: string, fromId: bigint, intoId: bigint): Promise<void> {
  if (fromId === intoId) return;
  await lockShopShared(tx, shop);
  await lockCustomers(tx, shop, [fromId, intoId]);
  await tx.customerMerge.upsert({
    where: { shop_fromId: { shop, fromId } },
    create: { shop, fromId, intoId },
    update: { intoId },
  });
  await tx.order.updateMany({ where: { shop, customerId: fromId }, data: { customerId: intoId } });
  await deleteCustomer(tx, shop, fromId);
  await recomputeAggregates(tx, shop, [fromId, intoId], await aggregateContext(tx, shop));
  await queueRescore(tx, shop, [fromId, intoId]);
}
