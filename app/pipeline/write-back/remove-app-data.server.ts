import type { Db } from "../../platform/db.server";
import { queryRows } from "../../platform/db/sql.server";
import type { Logger } from "../../platform/logger.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { loadRfmSettings, saveRfmSettings } from "../../settings/settings.server";
import { runWriteBack } from "./write-back.server";

/**
 * "Remove everything the app wrote": write-back switched off, then one full
 * write-back, which with write-back off takes every app tag off (tagsRemove,
 * only the app's own), deletes the RFM metafields and the app's Shopify
 * segments. The request row records what was removed; switching write-back on
 * again writes it all back.
 */

async function tagFootprint(db: Db, shop: string) {
  const [row] = await queryRows(db, "pipeline/write-back/app-tag-footprint.sql", shop);
  return { customers: Number(row?.customers ?? 0n), tags: Number(row?.tags ?? 0n) };
}

/** Switches write-back off and records the request; the job (`rfm.remove-app-data`) does the removing. */
export async function recordAppDataRemoval(db: Db, shop: string): Promise<bigint> {
  const settings = await loadRfmSettings(db, shop);
  await saveRfmSettings(db, shop, { ...settings, writeBack: { ...settings.writeBack, enabled: false } });
  // One request at a time (the queue keeps one job per shop): a second click joins the waiting one.
  const waiting = await db.appDataRemoval.findFirst({
    where: { shop, finishedAt: null },
    orderBy: { id: "desc" },
    select: { id: true },
  });
  return (waiting ?? (await db.appDataRemoval.create({ data: { shop }, select: { id: true } }))).id;
}

export async function removeAppData(
  deps: { db: Db; admin: AdminClient; logger: Logger; sleepReal?: (ms: number) => Promise<void> },
  shop: string,
  removalId: bigint,
  options: { pollMs?: number } = {},
) {
  const { db } = deps;
  const where = { shop_id: { shop, id: removalId } };
  await db.appDataRemoval.update({ where, data: { startedAt: new Date(), message: null } });
  const settings = await loadRfmSettings(db, shop);
  // Switched on again before the job ran: the merchant changed their mind, nothing is removed.
  if (settings.writeBack.enabled) {
    await db.appDataRemoval.update({
      where,
      data: { finishedAt: new Date(), message: "write-back switched on again" },
    });
    return null;
  }
  const before = await tagFootprint(db, shop);
  try {
    const outcome = await runWriteBack(deps, shop, { ...options, full: true });
    const after = await tagFootprint(db, shop);
    const removed = {
      tagsRemoved: before.tags - after.tags,
      tagCustomers: before.customers - after.customers,
      metafieldsRemoved: outcome.metafields.metafieldsDeleted,
      segmentsRemoved: outcome.segments.deleted,
      refused: outcome.tags.failures.length + outcome.metafields.failures.length,
    };
    await db.appDataRemoval.update({ where, data: { ...removed, finishedAt: new Date() } });
    deps.logger.info({ shop, ...removed }, "app data removed from Shopify");
    return removed;
  } catch (error) {
    await db.appDataRemoval.update({
      where,
      data: { message: error instanceof Error ? error.message : String(error) },
    });
    throw error;
  }
}
