import type { Db } from "../../app/platform/db.server";

/** Applies every pending inbox event of the shop (the worker's applier, run here until the inbox is empty). */
export async function drainInbox(db: Db, shop: string): Promise<void> {
  void db;
  void shop;
  throw new Error("drainInbox: wire to the applier (h1)");
}
