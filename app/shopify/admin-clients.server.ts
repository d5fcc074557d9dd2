// Where an Admin client comes from: an authenticated request's session, or the shop's offline session.
import { createAdminClient, type AdminClient } from "./admin-client.server";
import type { Logger } from "../platform/logger.server";

export class ShopNotInstalledError extends Error {
  constructor(public readonly shop: string) {
    super(`No offline session for ${shop}: the app is not installed there`);
    this.name = "ShopNotInstalledError";
  }
}

/** A client for the shop of an authenticated admin request. */
export function adminClientForSession(session: { shop: string; accessToken?: string }, logger: Logger): AdminClient {
  if (!session.accessToken) throw new Error(`Session for ${session.shop} has no access token`);
  return createAdminClient({ shop: session.shop, accessToken: session.accessToken, logger });
}

/**
 * An Admin client for background work. The Shopify library hands us a valid
 * offline session (refreshing an expiring token when needed); requests then go
 * through our own client with throttle pacing.
 */
export async function offlineAdmin(shop: string, logger: Logger): Promise<{ admin: AdminClient; scopes: string[] }> {
  const { unauthenticated } = await import("./shopify.server");
  let session;
  try {
    ({ session } = await unauthenticated.admin(shop));
  } catch (error) {
    if (error instanceof Error && /Could not find a session/i.test(error.message))
      throw new ShopNotInstalledError(shop);
    throw error;
  }
  if (!session.accessToken) throw new ShopNotInstalledError(shop);
  return {
    admin: createAdminClient({ shop, accessToken: session.accessToken, logger }),
    scopes: (session.scope ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  };
}
