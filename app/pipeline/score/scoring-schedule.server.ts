import type { Db } from "../../platform/db.server";
import { localDate, localHour } from "../../domain/rfm/dates";
import { loadRfmSettings } from "../../settings/settings.server";

/**
 * Whether a full run of the shop waits in the queue or is running. A running
 * run's ScoringRun row sits in its uncommitted transaction, invisible to the
 * sweep, so the queue is the only place that knows (jobs.server.ts answers).
 */
export type FullRunPending = (shop: string) => Promise<boolean>;

/**
 * Installed, synced shops whose local clock has passed their daily run hour,
 * that have no full run for their local today yet and none queued or
 * running (that one scores today: a second would only repeat it). Missed
 * hours (a worker that was down) are caught up on the next sweep.
 */
export async function shopsDueForDailyRun(db: Db, now: Date, fullRunPending: FullRunPending): Promise<string[]> {
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
    if (!ran && !(await fullRunPending(shop))) due.push(shop);
  }
  return due;
}
