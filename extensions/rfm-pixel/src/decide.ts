/**
 * What the pixel sends, decided without Shopify: pure, so the consent and
 * login rules are unit-tested (test/extensions/web-pixel.test.ts).
 */

export type PixelKind = "view" | "email_click";

/** The one event shape the app's /pixel/events accepts (extra keys are refused there). */
export interface PixelEvent {
  shop: string;
  key: string;
  customerId: string;
  kind: PixelKind;
}

export interface PixelSettings {
  pixelKey: string;
  endpoint: string;
}

export interface Consent {
  analyticsProcessingAllowed: boolean;
}

/** A page view per tab at most this often: the app needs visit days, not every click. */
export const VIEW_INTERVAL_MS = 30 * 60_000;
export const VIEW_SENT_KEY = "rfm-pixel:view-sent-at";

const KEY = /^[A-Za-z0-9_-]{16,128}$/;
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** The settings the app wrote, or null when they are not ours: never send anywhere else. */
export function readSettings(raw: Record<string, unknown> | null | undefined): PixelSettings | null {
  const pixelKey = raw?.pixelKey;
  const endpoint = raw?.endpoint;
  if (typeof pixelKey !== "string" || !KEY.test(pixelKey) || typeof endpoint !== "string") return null;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return null;
  }
  const secure = url.protocol === "https:" || (url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname));
  if (!secure || url.username || url.password || url.search || url.hash || !url.pathname.endsWith("/pixel/events"))
    return null;
  return { pixelKey, endpoint: url.toString() };
}

/** Arrivals from a marketing email (Shopify Email and most tools tag links utm_medium=email). */
export function kindOf(search: string | null | undefined): PixelKind {
  const medium = new URLSearchParams(search ?? "").get("utm_medium");
  return medium?.trim().toLowerCase() === "email" ? "email_click" : "view";
}

/** Shopify's customer id in the pixel is the numeric id; a gid is accepted too. */
export function customerIdOf(id: unknown): string | null {
  if (typeof id !== "string" && typeof id !== "number") return null;
  const m = /^(?:gid:\/\/shopify\/Customer\/)?([1-9]\d{0,18})$/.exec(String(id));
  return m?.[1] ?? null;
}

export interface DecideInput {
  settings: PixelSettings | null;
  consent: Consent | null | undefined;
  customerId: unknown;
  shop: string | null | undefined;
  search: string | null | undefined;
}

/** The event to send for a page view, or null: no consent, not logged in, or no settings of ours. */
export function decide(input: DecideInput): { url: string; event: PixelEvent } | null {
  if (!input.settings || input.consent?.analyticsProcessingAllowed !== true) return null;
  const customerId = customerIdOf(input.customerId);
  const shop = input.shop?.toLowerCase();
  if (!customerId || !shop || !/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(shop)) return null;
  return {
    url: input.settings.endpoint,
    event: { shop, key: input.settings.pixelKey, customerId, kind: kindOf(input.search) },
  };
}

/** Email arrivals always go; plain views at most once per VIEW_INTERVAL_MS per tab. */
export function throttled(kind: PixelKind, lastViewSentAt: number | null, now: number): boolean {
  return (
    kind === "view" && lastViewSentAt !== null && now - lastViewSentAt >= 0 && now - lastViewSentAt < VIEW_INTERVAL_MS
  );
}
