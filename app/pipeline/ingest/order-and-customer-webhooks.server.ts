import { z } from "zod";
import { defineTopic, type CustomerPatch } from "./inbox/webhook-topic";
import { orderFromRest, RestOrder, RestRefund, legacyId, shopifyId } from "../../domain/orders";
import { consentStateFromRest, optInLevelFromRest } from "../../domain/consent";
import type { CustomerProfile } from "./customers.server";

const id = shopifyId;
const gidOrId = z
  .union([
    z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    z.string().regex(/^(gid:\/\/shopify\/Customer\/)?[1-9]\d{0,18}$/),
  ])
  .transform((v) => legacyId(v))
  .refine((v) => v <= 9_223_372_036_854_775_807n, "id out of range");

/** orders/create, orders/updated, orders/cancelled: the payload is the whole order. */
export const orderState = defineTopic({
  schema: RestOrder,
  unknownShop: "reject",
  subject: (payload) => ({ orderId: payload.id, customerId: payload.customer?.id ?? null }),
  change: (payload) => ({
    kind: "order",
    order: orderFromRest(payload),
    presentmentTotal: payload.total_price_set.presentment_money?.amount ?? null,
  }),
});

export const ordersDelete = defineTopic({
  schema: z.object({ id }).loose(),
  unknownShop: "reject",
  subject: (payload) => ({ orderId: payload.id }),
  change: (payload) => ({ kind: "orderDelete", orderId: payload.id }),
});

export const refundsCreate = defineTopic({
  schema: RestRefund,
  unknownShop: "reject",
  subject: (payload) => ({ orderId: payload.order_id }),
  change: (payload) => ({ kind: "refund", refund: payload }),
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
/** Every field but id and updated_at may be absent: an include_fields-trimmed payload carries only what it lists. */
const RestCustomer = z
  .object({
    id,
    email: z.string().max(320).nullable().optional(),
    first_name: z.string().max(255).nullable().optional(),
    last_name: z.string().max(255).nullable().optional(),
    locale: z.string().max(20).nullable().optional(),
    tags: z.string().max(65_535).nullable().optional(),
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
type RestCustomerPayload = z.infer<typeof RestCustomer>;

/** The profile fields the payload carries; an absent field is left out (kept as stored), a null one clears. */
function customerPatch(p: RestCustomerPayload): CustomerPatch {
  const fields: Partial<CustomerProfile> = {};
  if (p.email !== undefined) fields.email = p.email;
  if (p.first_name !== undefined) fields.firstName = p.first_name;
  if (p.last_name !== undefined) fields.lastName = p.last_name;
  if (p.locale !== undefined) fields.locale = p.locale;
  if (p.tags !== undefined)
    fields.tags = (p.tags ?? "")
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean);
  if (p.phone !== undefined) fields.phone = p.phone;
  if (p.default_address !== undefined) fields.countryCode = p.default_address?.country_code ?? null;
  if (p.created_at !== undefined) fields.createdAt = p.created_at;
  if (p.email_marketing_consent !== undefined) {
    const c = p.email_marketing_consent;
    fields.emailMarketingState = consentStateFromRest("email", c?.state);
    fields.emailMarketingOptInLevel = optInLevelFromRest(c?.opt_in_level);
    fields.emailMarketingUpdatedAt = c?.consent_updated_at ?? null;
  }
  if (p.sms_marketing_consent !== undefined) {
    const c = p.sms_marketing_consent;
    fields.smsMarketingState = consentStateFromRest("sms", c?.state);
    fields.smsMarketingOptInLevel = optInLevelFromRest(c?.opt_in_level);
    fields.smsMarketingUpdatedAt = c?.consent_updated_at ?? null;
  }
  return { id: p.id, updatedAt: p.updated_at, fields };
}

/** customers/create, customers/update. */
export const customerState = defineTopic({
  schema: RestCustomer,
  unknownShop: "reject",
  subject: (payload) => ({ customerId: payload.id }),
  change: (payload) => ({ kind: "customer", customer: customerPatch(payload) }),
});

export const customersDelete = defineTopic({
  schema: z.object({ id }).loose(),
  unknownShop: "reject",
  subject: (payload) => ({ customerId: payload.id }),
  change: (payload) => ({ kind: "customerDelete", customerId: payload.id }),
});

export const customersMerge = defineTopic({
  schema: z
    .object({
      admin_graphql_api_customer_kept_id: gidOrId,
      admin_graphql_api_customer_deleted_id: gidOrId,
      status: z.string().max(40).optional(),
    })
    .loose(),
  unknownShop: "reject",
  subject: (payload) => ({ customerId: payload.admin_graphql_api_customer_deleted_id }),
  change: (payload) =>
    payload.status && payload.status.toLowerCase() !== "completed"
      ? { kind: "none" }
      : {
          kind: "merge",
          fromId: payload.admin_graphql_api_customer_deleted_id,
          intoId: payload.admin_graphql_api_customer_kept_id,
        },
});

/** bulk_operations/finish: wake the sync run that waits for this operation (polling is the fallback). */
export const bulkOperationsFinish = defineTopic({
  schema: z
    .object({
      admin_graphql_api_id: z.string().regex(/^gid:\/\/shopify\/BulkOperation\/\d+$/),
      status: z.string().max(40),
    })
    .loose(),
  unknownShop: "reject",
  change: (payload, { shop }) => {
    let runId: string | null = null;
    return {
      kind: "control",
      apply: async (tx) => {
        const bulkId = payload.admin_graphql_api_id;
        const run = await tx.syncRun.findFirst({
          where: { shop, OR: [{ bulkOperationId: bulkId }, { customersBulkOperationId: bulkId }] },
          select: { id: true },
        });
        // A split backfill's range exports are the run's too.
        const range = run
          ? null
          : await tx.syncRange.findFirst({ where: { shop, bulkOperationId: bulkId }, select: { runId: true } });
        runId = run?.id ?? range?.runId ?? null;
      },
      afterCommit: async () => {
        if (!runId) return;
        const { afterBulkOperationFinished } = await import("../jobs.server");
        await afterBulkOperationFinished(shop, runId);
      },
    };
  },
});
