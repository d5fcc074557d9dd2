import { randomBytes } from "node:crypto";
import type { Db } from "../platform/db.server";
import type { Logger } from "../platform/logger.server";
import { type AdminClient } from "../shopify/admin-client.server";
import { AdminApiError, AdminUserErrors, assertNoUserErrors, type UserError } from "../shopify/admin-errors.server";
import { appWebPixel, webPixelCreate, webPixelUpdate } from "../shopify/web-pixel.server";

/**
 * The app's web pixel on a shop (extensions/rfm-pixel): one per app and shop
 * in Shopify. Its settings carry the shop's pixel key (made once, kept across
 * reinstalls) and the endpoint the pixel posts to (this app's own URL).
 */

export interface EnsureWebPixelDeps {
  db: Db;
  admin: AdminClient;
  logger: Logger;
  /** The app's public URL (SHOPIFY_APP_URL); the pixel posts to <appUrl>/pixel/events. */
  appUrl: string;
}

export type EnsureOutcome = { status: "created" | "updated"; webPixelId: string } | { status: "skipped" };

export function newPixelKey(): string {
  return randomBytes(32).toString("base64url");
}

export function pixelSettings(pixelKey: string, appUrl: string): { pixelKey: string; endpoint: string } {
  return { pixelKey, endpoint: new URL("/pixel/events", appUrl).toString() };
}

/** The shop's key, made once: concurrent ensures agree on the first one stored. */
async function pixelKeyOf(db: Db, shop: string): Promise<string | null> {
  await db.shop.updateMany({ where: { shop, pixelKey: null }, data: { pixelKey: newPixelKey() } });
  const row = await db.shop.findUnique({ where: { shop }, select: { pixelKey: true } });
  return row?.pixelKey ?? null;
}

function hasCode(errors: UserError[], code: string): boolean {
  return errors.some((e) => e.code === code);
}

/** Creates the shop's web pixel, or updates the one it has (adopting one Shopify already holds for the app). */
export async function ensureWebPixel(deps: EnsureWebPixelDeps, shop: string): Promise<EnsureOutcome> {
  const { db, admin, logger } = deps;
  const row = await db.shop.findUnique({ where: { shop }, select: { uninstalledAt: true, webPixelId: true } });
  if (!row || row.uninstalledAt) return { status: "skipped" };
  const key = await pixelKeyOf(db, shop);
  if (!key) return { status: "skipped" };
  const settings = JSON.stringify(pixelSettings(key, deps.appUrl));
  const update = (id: string) => webPixelUpdate(admin, id, settings);

  let outcome: { status: "created" | "updated"; webPixelId: string } | undefined;
  if (row.webPixelId) {
    const updated = await update(row.webPixelId);
    // Gone in Shopify (an uninstall removes app pixels): create it again below.
    if (!hasCode(updated.userErrors, "NOT_FOUND")) {
      const id = assertNoUserErrors("webPixelUpdate", updated).webPixel?.id;
      if (!id) throw new AdminApiError("webPixelUpdate returned no web pixel", []);
      outcome = { status: "updated", webPixelId: id };
    }
  }
  if (!outcome) {
    const created = await webPixelCreate(admin, settings);
    if (hasCode(created.userErrors, "TAKEN")) {
      // One pixel per app and shop, and Shopify has ours (we lost its id): adopt it.
      const existing = await appWebPixel(admin);
      if (!existing) throw new AdminUserErrors("webPixelCreate", created.userErrors);
      const id = assertNoUserErrors("webPixelUpdate", await update(existing.id)).webPixel?.id;
      if (!id) throw new AdminApiError("webPixelUpdate returned no web pixel", []);
      outcome = { status: "updated", webPixelId: id };
    } else {
      const id = assertNoUserErrors("webPixelCreate", created).webPixel?.id;
      if (!id) throw new AdminApiError("webPixelCreate returned no web pixel", []);
      outcome = { status: "created", webPixelId: id };
    }
  }
  await db.shop.update({ where: { shop }, data: { webPixelId: outcome.webPixelId } });
  logger.info({ shop, ...outcome }, "web pixel ensured");
  return outcome;
}
