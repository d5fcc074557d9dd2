import type { Db } from "../../platform/db.server";
import { queryRows } from "../../platform/db/sql.server";
import { SEGMENT_KEYS, type SegmentKey } from "../../domain/rfm/segments";
import { BEHAVIOUR_KEYS, type BehaviourKey } from "../../domain/rfm/behaviours";
import { presetForLocale, segmentName } from "../../i18n/rfm/presets";
import { latestFullRun } from "../../pipeline/score/scoring.server";
import { loadRfmSettings } from "../../settings/settings.server";

export interface SegmentSummary {
  asOf: string | null;
  customers: number;
  segments: { key: SegmentKey; name: string; customers: number }[];
  behaviours: { key: BehaviourKey; name: string; customers: number }[];
  language: "nl" | "en";
}

/** Current segment sizes for the home page, named as the merchant sees them. */
export async function segmentSummary(db: Db, shop: string, locale: string | null): Promise<SegmentSummary> {
  const [settings, run, segments, behaviours] = await Promise.all([
    loadRfmSettings(db, shop),
    latestFullRun(db, shop),
    db.customerScore.groupBy({ by: ["segment"], where: { shop }, _count: { _all: true } }),
    queryRows(db, "pages/shopify/behaviour-counts.sql", shop),
  ]);
  const count = new Map(segments.map((s) => [s.segment, s._count._all]));
  const bcount = new Map(behaviours.map((b) => [b.k, b.n]));
  return {
    asOf: run ? run.asOf.toISOString().slice(0, 10) : null,
    customers: segments.reduce((n, s) => n + s._count._all, 0),
    segments: SEGMENT_KEYS.map((key) => ({
      key,
      name: segmentName(key, settings, locale),
      customers: count.get(key) ?? 0,
    })),
    behaviours: BEHAVIOUR_KEYS.map((key) => ({
      key,
      name: segmentName(key, settings, locale),
      customers: bcount.get(key) ?? 0,
    })),
    language: presetForLocale(locale) === "nl" ? "nl" : "en",
  };
}
