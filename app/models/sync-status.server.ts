import type { Db } from "../db.server";
import { progressOf, type SyncProgress } from "../sync/sync.server";

export interface SyncStatus {
  current: SyncProgress | null;
  lastCompleted: SyncProgress | null;
  customersScored: number;
  ordersStored: number;
}

/** What the home page shows about order syncing. */
export async function getSyncStatus(db: Db, shop: string): Promise<SyncStatus> {
  const [latest, lastCompleted, customers, orders] = await Promise.all([
    db.syncRun.findFirst({ where: { shop }, orderBy: { startedAt: "desc" } }),
    db.syncRun.findFirst({ where: { shop, status: "completed" }, orderBy: { startedAt: "desc" } }),
    db.customerAggregate.count({ where: { shop } }),
    db.order.count({ where: { shop, deletedAt: null } }),
  ]);
  return {
    current: latest ? progressOf(latest) : null,
    lastCompleted: lastCompleted ? progressOf(lastCompleted) : null,
    customersScored: customers,
    ordersStored: orders,
  };
}
