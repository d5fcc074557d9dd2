import type { Db } from "../../app/platform/db.server";
import { RULE_SEGMENT_KEYS } from "../../app/domain/rfm/segments";
import { epochDay, isoDay } from "../../app/domain/rfm/dates";
import { seededRandom } from "../../app/domain/clv/simulate";

/**
 * Gives an installed shop `months` recorded months before its history starts, as if the app had run there
 * all along: a full run every 30 days before the earliest one, and for every scored customer ended stays in
 * SegmentMembership up to their earliest stay (a seeded walk: mostly staying, else one segment up or down).
 * Customers whose history starts on the latest run's date are new: they get none.
 */
export async function recordEarlierMonths(db: Db, shop: string, months: number, seed: number): Promise<void> {
  const random = seededRandom(seed);
  const first = await db.scoringRun.findFirstOrThrow({ where: { shop }, orderBy: { asOf: "asc" } });
  const latest = await db.scoringRun.findFirstOrThrow({ where: { shop, kind: "full" }, orderBy: { asOf: "desc" } });
  const start = epochDay(first.asOf.toISOString().slice(0, 10));
  const dates = Array.from({ length: months }, (_, k) => isoDay(start - 30 * (months - k)));
  for (const d of dates)
    await db.scoringRun.create({
      data: {
        shop,
        kind: "full",
        asOf: new Date(`${d}T00:00:00Z`),
        scale: latest.scale,
        settings: latest.settings ?? {},
        customers: latest.customers,
        cutoffs: latest.cutoffs ?? {},
        stats: latest.stats ?? {},
        finishedAt: new Date(),
      },
    });
  const [scores, ended] = await Promise.all([
    db.customerScore.findMany({ where: { shop }, select: { customerId: true, segment: true, segmentSince: true } }),
    db.segmentMembership.findMany({ where: { shop, kind: "rfm" }, orderBy: { validFrom: "asc" } }),
  ]);
  const earliest = new Map<bigint, { segment: string; from: Date }>();
  for (const s of ended)
    if (!earliest.has(s.customerId)) earliest.set(s.customerId, { segment: s.segment, from: s.validFrom });
  const rows: { shop: string; customerId: bigint; kind: string; segment: string; validFrom: Date; validTo: Date }[] =
    [];
  const latestDay = latest.asOf.getTime();
  for (const score of scores) {
    const stay = earliest.get(score.customerId) ?? { segment: score.segment, from: score.segmentSince };
    if (stay.from.getTime() >= latestDay) continue;
    // Walk backwards from the segment they started in.
    const keys: readonly string[] = RULE_SEGMENT_KEYS;
    let rank = Math.max(keys.indexOf(stay.segment === "lost_engaged" ? "lost" : stay.segment), 0);
    let to = stay.from;
    let segment = stay.segment;
    for (let k = dates.length - 1; k >= 0; k--) {
      const u = random();
      if (u > 0.75) rank = Math.min(Math.max(rank + (u > 0.875 ? 1 : -1), 0), RULE_SEGMENT_KEYS.length - 1);
      const previous = RULE_SEGMENT_KEYS[rank] as string;
      const from = new Date(`${dates[k]}T00:00:00Z`);
      if (previous === segment && rows.length > 0 && rows.at(-1)?.customerId === score.customerId) {
        const last = rows.at(-1);
        if (last) last.validFrom = from;
      } else
        rows.push({ shop, customerId: score.customerId, kind: "rfm", segment: previous, validFrom: from, validTo: to });
      to = from;
      segment = previous;
    }
  }
  await db.segmentMembership.createMany({ data: rows });
}
