import { z } from "zod";
import { defineWebhook } from "../../shopify/webhook-receiver.server";
import { shopifyId } from "../../domain/orders";
import { markUninstalled, redactCustomer, redactShop, updateGrantedScopes } from "./data-retention.server";

const domain = z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i, "must be a *.myshopify.com domain");

export const appUninstalled = defineWebhook({
  schema: z.object({ id: shopifyId.optional(), myshopify_domain: domain.optional() }).loose(),
  unknownShop: "ignore",
  payloadShop: (payload) => payload.myshopify_domain,
  handle: async ({ shop }, tx) => markUninstalled(tx, shop),
});

export const appScopesUpdate = defineWebhook({
  schema: z.object({ current: z.array(z.string().min(1)).max(500), previous: z.array(z.string()).optional() }).loose(),
  unknownShop: "ignore",
  handle: async ({ shop, payload }, tx) => updateGrantedScopes(tx, shop, payload.current),
});

export const customersDataRequest = defineWebhook({
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
  handle: async ({ shop, webhookId, topic, payload }, tx) => {
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
});

export const customersRedact = defineWebhook({
  schema: z
    .object({
      shop_domain: domain,
      customer: z.object({ id: shopifyId }).loose(),
      orders_to_redact: z.array(shopifyId).max(100_000).default([]),
    })
    .loose(),
  unknownShop: "ignore",
  payloadShop: (payload) => payload.shop_domain,
  handle: async ({ shop, payload }, tx) => {
    await redactCustomer(tx, shop, payload.customer.id, payload.orders_to_redact);
  },
});

export const shopRedact = defineWebhook({
  schema: z.object({ shop_domain: domain }).loose(),
  unknownShop: "ignore",
  payloadShop: (payload) => payload.shop_domain,
  handle: async ({ shop }, tx) => redactShop(tx, shop),
});
