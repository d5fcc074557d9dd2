import { z } from "zod";
import { defineWebhook } from "../../shopify/webhook-receiver.server";
import { orderFromRest, RestOrder, RestRefund, legacyId, shopifyId } from "../../domain/orders";
import { applyOrder, applyRefund, deleteOrder } from "./orders.server";
import { applyCustomer, deleteCustomer, mergeCustomers } from "./customers.server";
import { consentStateFromRest, optInLevelFromRest } from "../../domain/consent";

const id = shopifyId;
const gidOrId = z
  .union([
    z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    z.string().regex(/^(gid:\/\/shopify\/Customer\/)?[1-9]\d{0,18}$/),
  ])
  .transform((v) => legacyId(v))
  .refine((v) => v <= 9_223_372_036_854_775_807n, "id out of range");

/** The changed customers are queued (PendingRescore) in the webhook's transaction; this wakes the re-score. */
async function wakeRescore({ shop }: { shop: string }): Promise<void> {
  const { afterWebhookChanges } = await import("../jobs.server");
  await afterWebhookChanges(shop);
}

/** orders/create, orders/updated, orders/cancelled: the payload is the whole order. */
export const orderState = defineWebhook({
  schema: RestOrder,
  unknownShop: "reject",
  handle: async ({ shop, payload }, tx) => {
    const presentment = payload.total_price_set.presentment_money?.amount ?? null;
    await applyOrder(tx, shop, orderFromRest(payload), presentment);
  },
  afterCommit: wakeRescore,
});

export const ordersDelete = defineWebhook({
  schema: z.object({ id }).loose(),
  unknownShop: "reject",
  handle: async ({ shop, payload }, tx) => deleteOrder(tx, shop, payload.id),
  afterCommit: wakeRescore,
});

export const refundsCreate = defineWebhook({
  schema: RestRefund,
  unknownShop: "reject",
  handle: async ({ shop, payload }, tx) => applyRefund(tx, shop, payload),
  afterCommit: wakeRescore,
});

const timestamp = z
  .string()
  .datetime({ offset: true })
  .transform((v) => new Date(v));
/** email_marketing_consent / sms_marketing_consent of the REST customer: lower-case states ("subscribed"). */
const Consent = z
  .object({
    state: z.string().max(40).nullable().optional(),
    opt_in_level: z.string().max(40).nullable().optional(),
    consent_updated_at: timestamp.nullable().optional(),
  })
  .loose()
  .nullable()
  .optional();
const RestCustomer = z
  .object({
    id,
    email: z.string().max(320).nullable().optional(),
    first_name: z.string().max(255).nullable().optional(),
    last_name: z.string().max(255).nullable().optional(),
    locale: z.string().max(20).nullable().optional(),
    tags: z.string().max(65_535).default(""),
    created_at: timestamp.nullable().optional(),
    updated_at: timestamp,
    phone: z.string().max(40).nullable().optional(),
    email_marketing_consent: Consent,
    sms_marketing_consent: Consent,
    default_address: z
      .object({ country_code: z.string().max(2).nullable().optional() })
      .loose()
      .nullable()
      .optional(),
  })
  .loose();

/** customers/create, customers/update. */
export const customerState = defineWebhook({
  schema: RestCustomer,
  unknownShop: "reject",
  handle: async ({ shop, payload }, tx) => {
    await applyCustomer(tx, shop, {
      id: payload.id,
      email: payload.email ?? null,
      firstName: payload.first_name ?? null,
      lastName: payload.last_name ?? null,
      locale: payload.locale ?? null,
      tags: payload.tags
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean),
      phone: payload.phone ?? null,
      countryCode: payload.default_address?.country_code ?? null,
      emailMarketingState: consentStateFromRest("email", payload.email_marketing_consent?.state),
      emailMarketingOptInLevel: optInLevelFromRest(payload.email_marketing_consent?.opt_in_level),
      emailMarketingUpdatedAt: payload.email_marketing_consent?.consent_updated_at ?? null,
      smsMarketingState: consentStateFromRest("sms", payload.sms_marketing_consent?.state),
      smsMarketingOptInLevel: optInLevelFromRest(payload.sms_marketing_consent?.opt_in_level),
      smsMarketingUpdatedAt: payload.sms_marketing_consent?.consent_updated_at ?? null,
      createdAt: payload.created_at ?? null,
      updatedAt: payload.updated_at,
    });
  },
});

export const customersDelete = defineWebhook({
  schema: z.object({ id }).loose(),
  unknownShop: "reject",
  handle: async ({ shop, payload }, tx) => deleteCustomer(tx, shop, payload.id),
});

export const customersMerge = defineWebhook({
  schema: z
    .object({
      admin_graphql_api_customer_kept_id: gidOrId,
      admin_graphql_api_customer_deleted_id: gidOrId,
      status: z.string().max(40).optional(),
    })
    .loose(),
  unknownShop: "reject",
  handle: async ({ shop, payload }, tx) => {
    if (payload.status && payload.status.toLowerCase() !== "completed") return;
    await mergeCustomers(
      tx,
      shop,
      payload.admin_graphql_api_customer_deleted_id,
      payload.admin_graphql_api_customer_kept_id,
    );
  },
  afterCommit: wakeRescore,
});

/** bulk_operations/finish: wake the sync run that waits for this operation (polling is the fallback). */
export const bulkOperationsFinish = defineWebhook({
  schema: z
    .object({
      admin_graphql_api_id: z.string().regex(/^gid:\/\/shopify\/BulkOperation\/\d+$/),
      status: z.string().max(40),
    })
    .loose(),
  unknownShop: "reject",
  handle: async () => {},
  afterCommit: async ({ shop, payload }) => {
    const { db } = await import("../../platform/db.server");
    const id = payload.admin_graphql_api_id;
    const run = await db().syncRun.findFirst({
      where: { shop, OR: [{ bulkOperationId: id }, { customersBulkOperationId: id }] },
    });
    if (!run) return;
    const { afterBulkOperationFinished } = await import("../jobs.server");
    await afterBulkOperationFinished(shop, run.id);
  },
});
