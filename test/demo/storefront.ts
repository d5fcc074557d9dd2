// The demo shop's storefront, as far as the app can see one: customers browsing and clicking through from emails,
// reported by the app's web pixel to the endpoint Shopify configured it with (the pixel's settings in the emulator).
// It gives the Browsing page and "Lost but engaged" something to show.
import { z } from "zod";
import type { Db } from "../../app/platform/db.server";
import { recordEngagement } from "../../app/pixel/pixel-events.server";
import type { EmulatedShop } from "../emulator/shop-state";
import { waitFor } from "../support/wait";

const DAY_MS = 86_400_000;
/** Well under the endpoint's 60 events a minute per address and shop: the whole visit burst comes from 127.0.0.1. */
const BROWSERS = 8;
const LAPSED = 16;

const PixelSettings = z.object({ pixelKey: z.string().min(1), endpoint: z.url() });

export interface StorefrontVisits {
  /** Customers with an account and no order who come back to look (Browsing: 3+ visit days in 30). */
  browsers: number[];
  /** Customers whose last order is the longest ago (they score as Lost): half visit, half click an email. */
  lapsed: number[];
}

/** Who visits: chosen from the emulated shop's own customers and orders. */
export function chooseVisitors(shop: EmulatedShop): StorefrontVisits {
  const lastOrder = new Map<number, number>();
  const ordered = new Set<number>();
  for (const order of shop.orders()) {
    if (order.customerId !== null) ordered.add(order.customerId);
    if (order.customerId === null || order.test || order.cancelledAt) continue;
    lastOrder.set(order.customerId, Math.max(lastOrder.get(order.customerId) ?? 0, order.processedAt.getTime()));
  }
  const browsers: number[] = [];
  for (const customer of shop.customers()) {
    if (browsers.length >= BROWSERS) break;
    if (!ordered.has(customer.id)) browsers.push(customer.id);
  }
  const lapsed = [...lastOrder.entries()]
    .sort((a, b) => a[1] - b[1])
    .slice(0, LAPSED)
    .map(([id]) => id);
  return { browsers, lapsed };
}

export interface VisitsSent {
  views: number;
  emailClicks: number;
  /** Earlier visit days of the browsers (the endpoint stamps the server's clock, so these cannot come through it). */
  earlierDays: number;
}

/**
 * Today's events through the real endpoint (POST /pixel/events with the shop's pixel key), as the pixel in a
 * customer's browser sends them. Customers the app has not imported yet are parked and confirmed with Shopify by the
 * app (job pixel.verify). The browsers' earlier visit days go through the statement the endpoint runs
 * (recordEngagement) with their own date, once the app knows the customers.
 */
export async function sendStorefrontVisits(
  db: Db,
  shop: EmulatedShop,
  visitors: StorefrontVisits,
  now = new Date(),
): Promise<VisitsSent> {
  const settings = await waitFor(
    "the app's web pixel in Shopify",
    async () => (shop.webPixel ? PixelSettings.parse(shop.webPixel.settings) : undefined),
    10 * 60_000,
    100,
  );
  const events = [
    ...visitors.browsers.map((id) => ({ id, kind: "view" as const })),
    ...visitors.lapsed.map((id, i) => ({ id, kind: i % 2 === 0 ? ("email_click" as const) : ("view" as const) })),
  ];
  for (const event of events) {
    const response = await fetch(settings.endpoint, {
      method: "POST",
      // What a sandboxed pixel can send without a CORS preflight.
      headers: { "Content-Type": "text/plain" },
      body: JSON.stringify({ shop: shop.domain, key: settings.pixelKey, customerId: event.id, kind: event.kind }),
    });
    if (response.status !== 202)
      throw new Error(`pixel endpoint answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
  }
  const everyone = events.map((e) => BigInt(e.id));
  await waitFor(
    "the app to record the storefront visits",
    async () =>
      (await db.customerEngagement.count({ where: { shop: shop.domain, customerId: { in: everyone } } })) ===
      everyone.length,
    5 * 60_000,
    250,
  );
  let earlierDays = 0;
  for (const [i, id] of visitors.browsers.entries()) {
    for (const daysAgo of [2 + (i % 3), 6 + i, 13 + 2 * i]) {
      await recordEngagement(db, shop.domain, BigInt(id), "view", new Date(now.getTime() - daysAgo * DAY_MS));
      earlierDays++;
    }
  }
  return {
    views: events.filter((e) => e.kind === "view").length,
    emailClicks: events.filter((e) => e.kind === "email_click").length,
    earlierDays,
  };
}
