import type { Logger } from "../../../platform/logger.server";
import { shopifyHeaders, verifyWebhookSignature } from "../../../shopify/webhook-signature.server";
import { sameTopic } from "../webhook-topics.server";
import type { WebhookTopic } from "./webhook-topic";
import type { InboxWriter } from "./inbox-writer.server";
import type { KnownShops } from "./known-shops.server";

/** A webhook request as both entries see it: the fast path before Remix and the topic's Remix route. */
export interface IncomingDelivery {
  method: string;
  /** The endpoint's topic, from its path (/webhooks/orders/create → "orders/create"). */
  endpointTopic: string;
  header: (name: string) => string | undefined;
  headerEntries: () => Iterable<[string, string]>;
  /** The raw body; null when it passed the size cap. */
  body: Buffer | null;
}

export interface Answer {
  status: number;
  body: string;
  /** The connection must close after the answer (the unread rest of an oversized body). */
  close?: boolean;
}

export interface ReceiveDeps {
  secret: string;
  topics: Record<string, WebhookTopic>;
  knownShops: KnownShops;
  writer: InboxWriter;
  logger: Logger;
}

const answer = (status: number, body: string, close?: boolean): Answer => ({
  status,
  body,
  ...(close ? { close } : {}),
});

/**
 * The whole request path of a webhook: size cap, signature and headers (as authenticate.webhook), topic = endpoint,
 * JSON, the topic's schema, the payload's own shop, a known shop — then one durable write to the inbox, and 200.
 * Applying it is the worker's (inbox-applier). 5xx only when the inbox write failed, so Shopify retries it.
 */
export async function receiveDelivery(delivery: IncomingDelivery, deps: ReceiveDeps): Promise<Answer> {
  const { logger } = deps;
  if (delivery.method !== "POST") return answer(405, "Method not allowed");
  const topic = deps.topics[delivery.endpointTopic];
  if (!topic) return answer(404, "No such webhook endpoint");
  if (delivery.body === null) {
    logger.warn({ topic: delivery.endpointTopic }, "webhook rejected: payload too large");
    return answer(413, "Payload too large", true);
  }

  const check = verifyWebhookSignature(deps.secret, delivery.body, delivery.header);
  if (!check.ok) {
    logger.warn({ topic: delivery.endpointTopic, reason: check.reason }, "webhook rejected by verification");
    return answer(check.status, check.status === 401 ? "Unauthorized" : "Bad request");
  }
  const { shop, webhookId, eventId } = check.headers;
  const log = logger.child({ shop, topic: delivery.endpointTopic, webhookId });
  if (!sameTopic(check.headers.topic, delivery.endpointTopic)) {
    log.warn({ header: check.headers.topic }, "webhook rejected: topic does not belong to this endpoint");
    return answer(400, "Topic does not match this endpoint");
  }

  const text = delivery.body.toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    log.warn("webhook rejected: body is not valid JSON");
    return answer(400, "Body is not valid JSON");
  }
  const parsed = topic.schema.safeParse(json);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => `${i.path.join(".") || "(payload)"}: ${i.message}`).join("; ");
    log.warn({ reason }, "webhook rejected: payload does not match the topic's schema");
    return answer(400, `Invalid payload: ${reason}`);
  }
  const named = topic.payloadShop?.(parsed.data);
  if (named !== undefined && named.toLowerCase() !== shop.toLowerCase()) {
    log.warn({ named }, "webhook rejected: payload names another shop than the signed header");
    return answer(400, "Payload shop does not match X-Shopify-Shop-Domain");
  }

  let known: boolean;
  try {
    known = await deps.knownShops.isKnown(shop);
  } catch (error) {
    log.error({ err: error }, "webhook not stored: the shop lookup failed; answered 503 so Shopify retries it");
    return answer(503, "Webhook could not be stored; retry later");
  }
  if (!known) {
    if (topic.unknownShop === "ignore") {
      log.info("webhook for a shop we hold nothing for: nothing to do");
      return answer(200, "OK");
    }
    log.warn("webhook rejected: unknown shop");
    return answer(404, "Unknown shop");
  }

  const subject = topic.subject?.(parsed.data) ?? {};
  try {
    const outcome = await deps.writer.write({
      shop,
      webhookId,
      topic: delivery.endpointTopic,
      eventId,
      headers: shopifyHeaders(delivery.headerEntries()),
      body: text,
      customerId: subject.customerId ?? null,
      orderId: subject.orderId ?? null,
    });
    log.debug({ outcome, eventId }, "webhook stored");
  } catch (error) {
    log.error(
      { err: error, eventId },
      "webhook not stored: the inbox write failed; answered 503 so Shopify retries it",
    );
    return answer(503, "Webhook could not be stored; retry later");
  }
  return answer(200, "OK");
}
