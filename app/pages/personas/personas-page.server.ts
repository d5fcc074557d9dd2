import type { Db } from "../../platform/db.server";
import { resolveLocale } from "../../i18n/locale.server";
import { personaName } from "../../i18n/rfm/presets";
import { loadRfmSettings } from "../../settings/settings.server";
import { PERSONA_KEYS, PersonaCounts, personaNeedsEngagement } from "../../domain/personas";

/**
 * The persona overview: the latest full run's stored persona counts (one row read, whatever the shop's size), each
 * persona's name in the merchant's preset, and where the engagement came from. Personas that need engagement data
 * say so instead of a count when the shop has none.
 */
export async function loadPersonasPage(db: Db, shop: string, request: Request) {
  const { locale } = await resolveLocale(db, shop, request);
  const [run, settings, sync, pixel] = await Promise.all([
    db.scoringRun.findFirst({
      where: { shop, kind: "full", finishedAt: { not: null } },
      orderBy: { id: "desc" },
      select: { asOf: true, personas: true },
    }),
    loadRfmSettings(db, shop),
    db.engagementSync.findUnique({ where: { shop }, select: { syncedAt: true, members: true } }),
    db.customerEngagement.findFirst({ where: { shop }, select: { customerId: true } }),
  ]);
  const stored = PersonaCounts.safeParse(run?.personas);
  const counts = stored.success ? stored.data : null;
  const total = counts ? Object.values(counts.counts).reduce((a, b) => a + b, 0) : 0;
  return {
    asOf: run ? run.asOf.toISOString().slice(0, 10) : null,
    hasEngagement: counts?.hasEngagement ?? false,
    highValueLine: counts?.highValueLine ?? null,
    total,
    sources: { shopify: sync?.syncedAt != null, pixel: pixel !== null },
    personas: PERSONA_KEYS.map((key) => {
      const shown = counts !== null && (counts.hasEngagement || !personaNeedsEngagement(key));
      return {
        key,
        name: personaName(key, settings, locale),
        customers: shown && counts ? counts.counts[key] : null,
        share: shown && counts && total > 0 ? counts.counts[key] / total : null,
      };
    }),
  };
}
