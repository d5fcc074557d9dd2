import { createHash, timingSafeEqual } from "node:crypto";
import { queryRows } from "../platform/db/sql.server";
import { z } from "zod";
import type { Db } from "../platform/db.server";
import type { Logger } from "../platform/logger.server";
import { DEFAULT_BROWSER_RULE, RateLimiter, type BrowserRule } from "../domain/engagement";
import { readCapped } from "../platform/server/read-capped.server";

/**
 * The web pixel's public endpoint (POST /pixel/events) and what it stores.
 * Anyone on the internet can call it, and the pixel key is readable on the
 * shop's storefront, so: nothing is trusted but the shop row's key, the
 * Customer table and the server's clock; an event can only move an existing
 * customer's engagement timestamps forward to "now", never create a row of
 * its own or touch another shop.
 */

export const PIXEL_MAX_BYTES = 2048;

export const PixelEventBody = z.strictObject({
  shop: z
    .string()
    .max(255)
    .regex(/^[a-z0-9][a-z0-9-]{0,62}\.myshopify\.com$/),
  key: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/),
  // Bounded like webhook ids: positive, at most int8.
  customerId: z
    .union([
      z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
      z.string().regex(/^(gid:\/\/shopify\/Customer\/)?[1-9]\d{0,18}$/),
    ])
    .transform((v) => BigInt(typeof v === "number" ? v : (/(\d+)$/.exec(v)?.[1] ?? "0")))
    .refine((v) => v > 0n && v <= 9_223_372_036_854_775_807n, "id out of range"),
  kind: z.enum(["view", "email_click"]),
});
export type PixelEventBody = z.infer<typeof PixelEventBody>;

export interface PixelLimits {
  /** Per client address and shop: the spec's "60 events a minute". */
  ipShop: RateLimiter;
  /** Per client address over all shops: cycling shop names buys nothing. */
  ip: RateLimiter;
  /** Per shop over all addresses: a flood from many addresses stays bounded. */
  shop: RateLimiter;
}

export function createPixelLimits(now: () => number = Date.now): PixelLimits {
  return {
    ipShop: new RateLimiter({ perMinute: 60 }, 20_000, now),
    ip: new RateLimiter({ perMinute: 240 }, 20_000, now),
    shop: new RateLimiter({ perMinute: 6_000 }, 5_000, now),
  };
}

export interface PixelDeps {
  db: Db;
  logger: Logger;
  limits: PixelLimits;
  /** The socket's address (Express req.ip): never a header the caller writes. */
  clientIp: string;
  now?: () => Date;
  /** An unknown customer's visit was parked: have Shopify confirm the customer (job pixel.verify-customers). */
  verifyLater?: (shop: string) => Promise<unknown>;
}

const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "POST, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type",
  "Access-Control-Max-Age": "86400",
};

function answer(status: number, body: string | null, extra: Record<string, string> = {}): Response {
  // The sandboxed pixel sends Origin "null" or the storefront's (custom) domain: no origin can be
  // trusted, so CORS is open and credential-free; the key and the shop row do the checking.
  return new Response(body, {
    status,
    headers: {
      ...CORS,
      "Cache-Control": "no-store",
      ...(body === null ? {} : { "Content-Type": "text/plain; charset=utf-8" }),
      ...extra,
    },
  });
}

/** Constant-time over equal-length digests, so neither content nor length leaks through timing. */
export function sameKey(given: string, stored: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(stored).digest();
  return timingSafeEqual(a, b);
}

function limited(seconds: number): Response {
  return answer(429, "Too many requests", { "Retry-After": String(seconds) });
}

/** The whole endpoint: method, rate, size, JSON, schema, shop and key, then the write. */
export async function receivePixelEvent(request: Request, deps: PixelDeps): Promise<Response> {
  const log = deps.logger.child({ endpoint: "pixel.events" });
  if (request.method === "OPTIONS") return answer(204, null);
  if (request.method !== "POST") return answer(405, "Method not allowed", { Allow: "POST, OPTIONS" });

  const ip = deps.clientIp || "unknown";
  const perIp = deps.limits.ip.take(ip);
  if (perIp !== null) return limited(perIp);

  const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "text/plain" && type !== "application/json")
    return answer(415, "Send JSON as text/plain or application/json");

  const raw = await readCapped(request, PIXEL_MAX_BYTES);
  // The unread rest of the body would be taken for the next request on a kept-alive socket.
  if (raw === null) return answer(413, "Payload too large", { Connection: "close" });

  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return answer(400, "Body is not valid JSON");
  }
  const parsed = PixelEventBody.safeParse(json);
  if (!parsed.success) {
    log.debug(
      { ip, reason: parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ") },
      "pixel event refused: shape",
    );
    return answer(400, "Invalid event");
  }
  const event = parsed.data;

  const perIpShop = deps.limits.ipShop.take(`${ip} ${event.shop}`);
  if (perIpShop !== null) return limited(perIpShop);
  const perShop = deps.limits.shop.take(event.shop);
  if (perShop !== null) return limited(perShop);

  const shop = await deps.db.shop.findUnique({
    where: { shop: event.shop },
    select: { pixelKey: true, uninstalledAt: true },
  });
  if (!shop || shop.uninstalledAt || !shop.pixelKey) {
    log.debug({ ip, shop: event.shop }, "pixel event refused: shop not installed");
    return answer(404, "Unknown shop");
  }
  if (!sameKey(event.key, shop.pixelKey)) {
    log.debug({ ip, shop: event.shop }, "pixel event refused: wrong key");
    return answer(403, "Forbidden");
  }

  const at = (deps.now ?? (() => new Date()))();
  const known = await recordEngagement(deps.db, event.shop, event.customerId, event.kind, at);
  // Customers who signed up before install and never ordered are not in our tables yet: park the visit until
  // Shopify confirms the customer belongs to this shop (an anonymous caller cannot create customers).
  if (!known && (await parkVisit(deps.db, event.shop, event.customerId, event.kind, at)))
    await deps.verifyLater?.(event.shop);
  // The same answer whether or not the customer exists: callers cannot probe for customers.
  return answer(202, null);
}

// One statement: the customer must exist (not deleted) in this shop, else nothing is written. Timestamps only
// move forward (GREATEST skips NULLs); the visit day is the shop-local date of the server's clock.
// The statements: record-engagement.sql, browsers-never-bought.sql and park-visit.sql beside this file.

/** Stores a page view (an email click is one too); false when the shop has no such customer. */
export async function recordEngagement(
  db: Db,
  shop: string,
  customerId: bigint,
  kind: "view" | "email_click",
  at: Date,
): Promise<boolean> {
  const [row] = await queryRows(db, "pixel/record-engagement.sql", shop, customerId, at, kind === "email_click");
  return (row?.found ?? 0) > 0;
}

export interface BrowserNeverBought {
  customerId: bigint;
  visitDays: number;
  lastVisitAt: Date | null;
}

/**
 * "Browses often, never bought": customers with at least minDays distinct
 * visit days in the last withinDays (shop-local, today included) and no
 * counted order (no CustomerAggregate row). Same rule as browsesOftenNeverBought.
 */
export async function browsersNeverBought(
  db: Db,
  shop: string,
  rule: Partial<BrowserRule> = {},
  now = new Date(),
): Promise<BrowserNeverBought[]> {
  const { minDays, withinDays } = { ...DEFAULT_BROWSER_RULE, ...rule };
  const rows = await queryRows(db, "pixel/browsers-never-bought.sql", shop, now, withinDays, minDays);
  return rows;
}

/** Parked visits per shop at most: a flood of invented ids fills this, not the database. */
export const MAX_PENDING_VISITS = 20_000;

/** Parks a visit of a customer we do not know; false when the shop's parking is full. */
export async function parkVisit(
  db: Db,
  shop: string,
  customerId: bigint,
  kind: "view" | "email_click",
  at: Date,
): Promise<boolean> {
  const rows = await queryRows(
    db,
    "pixel/park-visit.sql",
    shop,
    customerId,
    at,
    kind === "email_click",
    MAX_PENDING_VISITS,
  );
  return rows.length > 0;
}
