import { z } from "zod";
import { defineTopic } from "./inbox/webhook-topic";
import { shopifyId } from "../../domain/orders";
import { markUninstalled, redactCustomer, redactShop, updateGrantedScopes } from "./data-retention.server";

const domain = z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i, "must be a *.myshopify.com domain");

export const appUninstalled = defineTopic({
  schema: z.object({ id: shopifyId.optional(), myshopify_domain: domain.optional() }).loose(),
  unknownShop: "ignore",
  payloadShop: (payload) => payload.myshopify_domain,
  change: (_payload, { shop }) => ({ kind: "control", apply: (tx) => markUninstalled(tx, shop) }),
});

export const appScopesUpdate = defineTopic({
  schema: z.object({ current: z.array(z.string().min(1)).max(500), previous: z.array(z.string()).optional() }).loose(),
  unknownShop: "ignore",
  change: (payload, { shop }) => ({ kind: "control", apply: (tx) => updateGrantedScopes(tx, shop, payload.current) }),
});

export const customersDataRequest = defineTopic({
  schema: z
    .object({
      shop_domain: domain,
      customer: z.object({ id: shopifyId }).loose(),
      orders_requested: z.array(shopifyId).max(100_000).default([]),
      data_request: z.object({ id: shopifyId }).loose().optional(),
    })
    .loose(),
  unknownShop: "ignore",
  payloadShop: (payload) => payload.shop_domain,
  subject: (payload) => ({ customerId: payload.customer.id }),
  change: (payload, { shop, webhookId, topic }) => ({
    kind: "control",
    apply: async (tx) => {
      await tx.complianceRequest.create({
        data: {
          shop,
          webhookId,
          topic,
          customerId: payload.customer.id,
          ordersRequested: payload.orders_requested,
          payload: JSON.parse(JSON.stringify(payload, (_k, v) => (typeof v === "bigint" ? v.toString() : v))),
        },
      });
    },
  }),
});

export const customersRedact = defineTopic({
  schema: z
    .object({
      shop_domain: domain,
      customer: z.object({ id: shopifyId }).loose(),
      orders_to_redact: z.array(shopifyId).max(100_000).default([]),
    })
    .loose(),
  unknownShop: "ignore",
  payloadShop: (payload) => payload.shop_domain,
  subject: (payload) => ({ customerId: payload.customer.id }),
  change: (payload, { shop }) => ({
    kind: "control",
    apply: (tx) => redactCustomer(tx, shop, payload.customer.id, payload.orders_to_redact),
  }),
});

export const shopRedact = defineTopic({
  schema: z.object({ shop_domain: domain }).loose(),
  unknownShop: "ignore",
  payloadShop: (payload) => payload.shop_domain,
  change: (_payload, { shop }) => ({ kind: "control", apply: (tx) => redactShop(tx, shop) }),
});
