import { createHmac, randomUUID } from "node:crypto";

export interface WebhookDelivery {
  /** Full URL of the app's endpoint, e.g. http://127.0.0.1:3000/webhooks/shop/redact */
  url: string;
  secret: string;
  topic: string;
  shop: string;
  /** Sent byte for byte; an object is JSON-encoded. */
  body: string | object;
  webhookId?: string;
  eventId?: string;
  apiVersion?: string;
  /** Overrides the signature (tests of bad HMACs). */
  hmac?: string;
}

export function signWebhook(secret: string, rawBody: string): string {
  return createHmac("sha256", secret).update(rawBody, "utf8").digest("base64");
}

/** Delivers a webhook the way Shopify does: POST, JSON body, HMAC-SHA256 (base64) of the raw body. */
export async function sendWebhook(
  delivery: WebhookDelivery,
): Promise<{ status: number; body: string; webhookId: string }> {
  const raw = typeof delivery.body === "string" ? delivery.body : JSON.stringify(delivery.body);
  const webhookId = delivery.webhookId ?? randomUUID();
  const response = await fetch(delivery.url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": delivery.topic,
      "X-Shopify-Hmac-Sha256": delivery.hmac ?? signWebhook(delivery.secret, raw),
      "X-Shopify-Shop-Domain": delivery.shop,
      "X-Shopify-API-Version": delivery.apiVersion ?? "2026-10",
      "X-Shopify-Webhook-Id": webhookId,
      "X-Shopify-Event-Id": delivery.eventId ?? randomUUID(),
      "X-Shopify-Triggered-At": new Date().toISOString(),
    },
    body: raw,
  });
  return { status: response.status, body: await response.text(), webhookId };
}
