import type { Db } from "../../app/platform/db.server";

/** The discount codes on a shop's orders ("WELCOME10"): the customer page lists them — the shop's words, not the app's. */
export async function shopDiscountCodes(db: Db, shop: string): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ code: string }[]>(
    `SELECT DISTINCT unnest("discountCodes") AS code FROM "Order" WHERE shop = $1`,
    shop,
  );
  return rows.map((r) => r.code);
}
