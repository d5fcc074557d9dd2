import type { Db } from "../platform/db.server";
import { recordInstall } from "../shopify/shop.server";
import { afterInstall } from "./jobs.server";
import { forgetKnownShop } from "./ingest/inbox/inbox-receiver.server";

/** The app was installed or re-authorised: record the shop, then what follows an install (FOLLOW_UPS.installed). */
export async function onAppInstalled(db: Db, shop: string): Promise<void> {
  await recordInstall(db, shop);
  // Its webhooks are accepted from now on, not after the receiver's cache of unknown shops expires.
  forgetKnownShop(shop);
  // First install: read the whole order history. Later logins change nothing.
  const backfillStarted = (await db.syncRun.count({ where: { shop, kind: "backfill" } })) > 0;
  await afterInstall(shop, { backfillStarted });
}
