import type { z } from "zod";
import type { Db, DbTx } from "../platform/db.server";
import type { Logger } from "../platform/logger.server";
import { readCapped } from "../platform/server/read-capped.server";

export interface VerifiedWebhook {
  shop: string;
  topic: string;
  webhookId: string;
  eventId?: string;
  apiVersion: string;
  payload: unknown;
}

export interface WebhookDeps {
  /** The topic this endpoint serves (from its path, as in shopify.app.toml). */
  topic: string;
  db: Db;
  logger: Logger;
  /** Verifies the HMAC and headers (Shopify's library); throws a Response when invalid. */
  verify: (request: Request) => Promise<VerifiedWebhook>;
  maxBytes: number;
  /**
   * Bounds the webhook transactions in flight to what the pool can serve; the rest wait here, in process, instead
   * of in the pool's queue where Prisma's maxWait turns the wait into P2028.
   */
  transactions?: Limiter;
}

/** A counting semaphore: at most `size` callers run at once, the others wait in arrival order. */
export interface Limiter {
  run<T>(fn: () => Promise<T>): Promise<T>;
  readonly waiting: number;
}

export function createLimiter(size: number): Limiter {
  let running = 0;
  const queue: (() => void)[] = [];
  return {
    get waiting() {
      return queue.length;
    },
    async run(fn) {
      if (running >= size) await new Promise<void>((resume) => queue.push(resume));
      else running++;
      try {
        return await fn();
      } finally {
        const next = queue.shift();
        if (next) next();
        else running--;
      }
    },
  };
}

export interface WebhookHandler<S extends z.ZodType> {
  schema: S;
  /**
   * "ignore": a shop we hold nothing for is answered 200 with no work (GDPR
   * and uninstall topics, which Shopify may send after we erased the shop).
   * "reject": answered 404 and nothing is written.
   */
  unknownShop: "ignore" | "reject";
  /** The shop a payload names itself, when it does; it must equal the signed shop header. */
  payloadShop?: (payload: z.infer<S>) => string | undefined;
  /** Runs inside the transaction that records the delivery: both land or neither does. */
  handle: (ctx: { shop: string; topic: string; webhookId: string; payload: z.infer<S> }, tx: DbTx) => Promise<void>;
  /** Runs once the delivery is committed (and never for a duplicate): enqueue follow-up work here. */
  afterCommit?: (ctx: { shop: string; topic: string; webhookId: string; payload: z.infer<S> }) => Promise<void>;
}

function plain(status: number, body: string, extra: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8", ...extra } });
}

/**
 * The one entry for every webhook: size cap, HMAC, JSON, payload schema,
 * shop check, then exactly-once processing: a delivery already applied (same X-Shopify-Webhook-Id) or an event
 * already applied (same X-Shopify-Event-Id and topic — Shopify's guidance for duplicates) is answered 200 and skipped.
 */
export async function receiveWebhook<S extends z.ZodType>(
  request: Request,
  handler: WebhookHandler<S>,
  deps: WebhookDeps,
): Promise<Response> {
  const { db, logger } = deps;
  if (request.method !== "POST") return plain(405, "Method not allowed");

  const rawBody = await readCapped(request, deps.maxBytes);
  if (rawBody === null) {
    logger.warn({ url: request.url }, "webhook rejected: payload too large");
    // The unread rest of the body would be taken for the next request on a kept-alive socket.
    return plain(413, "Payload too large", { Connection: "close" });
  }

  let verified: VerifiedWebhook;
  try {
    verified = await deps.verify(new Request(request.url, { method: "POST", headers: request.headers, body: rawBody }));
  } catch (error) {
    if (error instanceof Response) {
      logger.warn({ url: request.url, status: error.status }, "webhook rejected by verification");
      return plain(error.status, error.status === 401 ? "Unauthorized" : "Bad request");
    }
    if (error instanceof SyntaxError) {
      logger.warn({ url: request.url }, "webhook rejected: body is not valid JSON");
      return plain(400, "Body is not valid JSON");
    }
    throw error;
  }

  const log = logger.child({ shop: verified.shop, topic: verified.topic, webhookId: verified.webhookId });
  // "ORDERS_CREATE" (the library's form) or "orders/create" must be this endpoint's topic.
  const normalised = verified.topic.toLowerCase().replace(/_/g, "/");
  if (normalised !== deps.topic.replace(/_/g, "/")) {
    log.warn({ expected: deps.topic }, "webhook rejected: topic does not belong to this endpoint");
    return plain(400, "Topic does not match this endpoint");
  }
  const parsed = handler.schema.safeParse(verified.payload);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => `${i.path.join(".") || "(payload)"}: ${i.message}`).join("; ");
    log.warn({ reason }, "webhook rejected: payload does not match the topic's schema");
    return plain(400, `Invalid payload: ${reason}`);
  }

  const named = handler.payloadShop?.(parsed.data);
  if (named !== undefined && named.toLowerCase() !== verified.shop.toLowerCase()) {
    log.warn({ named }, "webhook rejected: payload names another shop than the signed header");
    return plain(400, "Payload shop does not match X-Shopify-Shop-Domain");
  }

  const known = await db.shop.findUnique({ where: { shop: verified.shop }, select: { shop: true } });
  if (!known) {
    if (handler.unknownShop === "ignore") {
      log.info("webhook for a shop we hold nothing for: nothing to do");
      return plain(200, "OK");
    }
    log.warn("webhook rejected: unknown shop");
    return plain(404, "Unknown shop");
  }

  // A retry of a delivery already applied is answered without a transaction or a place in the queue (one read);
  // the transaction below still decides when two copies race.
  const seen = await db.webhookDelivery.findFirst({
    where: {
      shop: verified.shop,
      OR: [
        { webhookId: verified.webhookId },
        ...(verified.eventId ? [{ topic: verified.topic, eventId: verified.eventId }] : []),
      ],
    },
    select: { webhookId: true },
  });
  if (seen) {
    log.info({ outcome: "duplicate" }, "webhook handled");
    return plain(200, "OK");
  }

  const ctx = { shop: verified.shop, topic: verified.topic, webhookId: verified.webhookId, payload: parsed.data };
  const apply = () =>
    db.$transaction(
      async (tx) => {
        const recorded = await tx.webhookDelivery.createMany({
          data: [
            {
              shop: verified.shop,
              webhookId: verified.webhookId,
              topic: verified.topic,
              eventId: verified.eventId ?? null,
            },
          ],
          skipDuplicates: true,
        });
        if (recorded.count === 0) return "duplicate" as const;
        await handler.handle(ctx, tx);
        return "processed" as const;
      },
      { maxWait: 5_000, timeout: 10_000 },
    );
  let outcome: "duplicate" | "processed";
  try {
    outcome = await (deps.transactions ? deps.transactions.run(apply) : apply());
  } catch (error) {
    // Nothing was recorded (the transaction rolled back): answer 5xx so Shopify retries the delivery.
    log.error({ err: error, eventId: verified.eventId }, "webhook failed; answered 500 so Shopify retries it");
    return plain(500, "Webhook could not be applied; retry later");
  }
  if (outcome === "processed" && handler.afterCommit) {
    // The delivery is committed; follow-up work that fails to enqueue is caught
    // up by its own fallback (pending re-scores, sync polling), not by a retry.
    await handler
      .afterCommit(ctx)
      .catch((error: unknown) => log.error({ err: error }, "follow-up after webhook failed"));
  }
  log.info({ outcome }, "webhook handled");
  return plain(200, "OK");
}

/** Declares a topic's handler with its payload type inferred from the schema. */
export function defineWebhook<S extends z.ZodType>(handler: WebhookHandler<S>): WebhookHandler<S> {
  return handler;
}
