import type { Db } from "../platform/db.server";
import type { AdminClient } from "./admin-client.server";
import { SHOP_INFO_QUERY } from "./operations/shop";
import { checkCustomerDataAccess } from "./customer-data-access.server";
import { AdminApiError } from "./admin-errors.server";

/** Called after every successful authentication: (re)installs are recorded. */
export async function recordInstall(db: Db, shop: string): Promise<void> {
  await db.shop.upsert({
    where: { shop },
    create: { shop },
    update: { uninstalledAt: null },
  });
}

export async function findShop(db: Db, shop: string) {
  return db.shop.findUnique({ where: { shop } });
}

/** Reads the shop's name, currency, time zone and plan from Shopify and stores them. */
export async function syncShopInfo(deps: { db: Db; admin: AdminClient }) {
  const { db, admin } = deps;
  const { shop: info } = await admin.request(SHOP_INFO_QUERY);
  const fields = {
    name: info.name,
    email: info.email,
    currencyCode: info.currencyCode,
    ianaTimezone: info.ianaTimezone,
    planDisplayName: info.plan.publicDisplayName,
    shopifyPlus: info.plan.shopifyPlus,
    infoSyncedAt: new Date(),
  };
  await db.shop.upsert({ where: { shop: admin.shop }, create: { shop: admin.shop, ...fields }, update: fields });
  // What Shopify lets the app read of customers (protected customer data): the dashboard says what is missing.
  // A refusal for another reason (a scope the merchant withheld) leaves the last known state; it is not shop info's failure.
  await checkCustomerDataAccess(deps).catch((error: unknown) => {
    if (!(error instanceof AdminApiError)) throw error;
  });
  return info;
}

export interface ShopOverview {
  shop: string;
  name: string;
  currencyCode: string | null;
  ianaTimezone: string | null;
  planDisplayName: string | null;
  infoSyncedAt: Date | null;
  /** Protected customer data as Shopify last answered (customer-data-access.server.ts); null: not known. */
  customerDataAccess: string | null;
  customerDataRedacted: string[];
}

/** What the home page shows; the first visit reads the shop from Shopify at once. */
export async function getShopOverview(deps: { db: Db; admin: AdminClient }): Promise<ShopOverview> {
  const { db, admin } = deps;
  let row = await findShop(db, admin.shop);
  if (!row?.infoSyncedAt) {
    await syncShopInfo(deps);
    row = await findShop(db, admin.shop);
  }
  if (!row) throw new Error(`Shop ${admin.shop} vanished while loading`);
  return {
    shop: row.shop,
    name: row.name ?? row.shop,
    currencyCode: row.currencyCode,
    ianaTimezone: row.ianaTimezone,
    planDisplayName: row.planDisplayName,
    infoSyncedAt: row.infoSyncedAt,
    customerDataAccess: row.customerDataAccess,
    customerDataRedacted: row.customerDataRedacted,
  };
}

/** The admin language the merchant uses (background jobs name Shopify segments in it). */
export async function rememberAdminLocale(db: Db, shop: string, locale: string): Promise<void> {
  if (!/^[a-z]{2}(-[A-Za-z]{2,4})?$/.test(locale)) return;
  await db.shop.updateMany({
    where: { shop, OR: [{ adminLocale: null }, { NOT: { adminLocale: locale } }] },
    data: { adminLocale: locale },
  });
}
