import type { Db } from "../../platform/db.server";
import { localDate, localHour } from "../../domain/rfm/dates";
import { loadRfmSettings } from "../../settings/settings.server";

/**
 * Installed, synced shops whose local clock has passed their daily run hour
 * and that have no full run for their local today yet. Missed hours (a
 * worker that was down) are caught up on the next sweep.
 */
export async function shopsDueForDailyRun(db: Db, now: Date): Promise<string[]> {
  const shops = await db.shop.findMany({
    where: { uninstalledAt: null, ordersSyncedAt: { not: null } },
    select: { shop: true, ianaTimezone: true },
  });
  const due: string[] = [];
  for (const { shop, ianaTimezone } of shops) {
    const tz = ianaTimezone ?? "UTC";
    const settings = await loadRfmSettings(db, shop);
    if (localHour(now, tz) < settings.dailyRunHour) continue;
    const today = new Date(`${localDate(now, tz)}T00:00:00Z`);
    const ran = await db.scoringRun.findFirst({
      where: { shop, kind: "full", asOf: today, finishedAt: { not: null } },
      select: { id: true },
    });
    if (!ran) due.push(shop);
  }
  return due;
}
