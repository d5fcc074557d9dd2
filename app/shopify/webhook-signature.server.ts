import { createHmac, timingSafeEqual } from "node:crypto";

/** The X-Shopify-* headers of a verified delivery. */
export interface WebhookHeaders {
  topic: string;
  shop: string;
  apiVersion: string;
  webhookId: string;
  eventId: string | null;
}

export type SignatureCheck =
  | { ok: true; headers: WebhookHeaders }
  | { ok: false; status: 400 | 401; reason: "missing_body" | "missing_hmac" | "invalid_hmac" | "missing_headers" };

const REQUIRED = {
  topic: "x-shopify-topic",
  shop: "x-shopify-shop-domain",
  apiVersion: "x-shopify-api-version",
  webhookId: "x-shopify-webhook-id",
} as const;

/**
 * What `authenticate.webhook` (@shopify/shopify-api's webhooks.validate) checks, in its order and with its answers:
 * an empty body, a missing X-Shopify-Hmac-Sha256 or a missing topic/shop/API-version/webhook-id header is 400; an
 * HMAC-SHA256 (base64, app secret) that does not match the body is 401, compared in constant time. The HMAC is taken
 * over the raw bytes, which for any UTF-8 body is what the library computes over its decoded text.
 */
export function verifyWebhookSignature(
  secret: string,
  rawBody: Buffer,
  header: (name: string) => string | undefined,
): SignatureCheck {
  if (rawBody.length === 0) return { ok: false, status: 400, reason: "missing_body" };
  const hmac = header("x-shopify-hmac-sha256");
  if (!hmac) return { ok: false, status: 400, reason: "missing_hmac" };
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  const given = Buffer.from(hmac, "base64");
  // Buffer.from ignores what is not base64; the re-encoding must be the header itself.
  if (given.length !== expected.length || !timingSafeEqual(given, expected) || given.toString("base64") !== hmac)
    return { ok: false, status: 401, reason: "invalid_hmac" };
  const topic = header(REQUIRED.topic);
  const shop = header(REQUIRED.shop);
  const apiVersion = header(REQUIRED.apiVersion);
  const webhookId = header(REQUIRED.webhookId);
  if (!topic || !shop || !apiVersion || !webhookId) return { ok: false, status: 400, reason: "missing_headers" };
  return { ok: true, headers: { topic, shop, apiVersion, webhookId, eventId: header("x-shopify-event-id") ?? null } };
}

/** The X-Shopify-* headers to keep with a delivery (names lower-case, the HMAC dropped). */
export function shopifyHeaders(entries: Iterable<[string, string]>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    if (lower.startsWith("x-shopify-") && lower !== "x-shopify-hmac-sha256") kept[lower] = value;
  }
  return kept;
}
