import type { z } from "zod";
import { authenticate } from "./shopify.server";
import { db } from "../platform/db.server";
import { env } from "../platform/env.server";
import { logger } from "../platform/logger.server";
import {
  createLimiter,
  receiveWebhook,
  type Limiter,
  type VerifiedWebhook,
  type WebhookHandler,
} from "./webhook-receiver.server";

async function verify(request: Request): Promise<VerifiedWebhook> {
  const ctx = await authenticate.webhook(request);
  return {
    shop: ctx.shop,
    topic: ctx.topic,
    webhookId: ctx.webhookId,
    eventId: "eventId" in ctx && typeof ctx.eventId === "string" ? ctx.eventId : undefined,
    apiVersion: ctx.apiVersion,
    payload: ctx.payload,
  };
}

declare global {
  var __rfmWebhookTransactions: Limiter | undefined;
}

/**
 * Webhook transactions in flight: half the pool, so the worker's jobs keep connections too. More would only wait
 * in the pool (and on the embedded database, whose one session runs one transaction at a time, for that session).
 */
function transactions(): Limiter {
  globalThis.__rfmWebhookTransactions ??= createLimiter(Math.max(1, Math.floor(env().DATABASE_POOL_MAX / 2)));
  return globalThis.__rfmWebhookTransactions;
}

/** What every webhook route's action calls; the topic is the route's path (/webhooks/orders/create). */
export function webhookAction<S extends z.ZodType>(request: Request, handler: WebhookHandler<S>): Promise<Response> {
  const topic = new URL(request.url).pathname.replace(/^\/webhooks\//, "");
  return receiveWebhook(request, handler, {
    topic,
    db: db(),
    logger,
    verify,
    maxBytes: env().WEBHOOK_MAX_BYTES,
    transactions: transactions(),
  });
}
