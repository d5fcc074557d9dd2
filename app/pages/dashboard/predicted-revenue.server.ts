import type { Db } from "../../platform/db.server";
import { latestPredictionRun } from "../../pipeline/predict/predictions.server";
import { SEGMENT_KEYS, type SegmentKey } from "../../domain/rfm/segments";
import { predictionReasonOf } from "../../domain/clv/sufficiency";
import { explainNoPredictions } from "../../i18n/clv/explain";
import { languageOf } from "../../i18n/locale";
import { segmentName } from "../../i18n/rfm/presets";
import { GammaGammaJson, PredictionSummary } from "../../pipeline/predict/prediction-shapes";
import { loadRfmSettings } from "../../settings/settings.server";

export type PredictedRevenue =
  | { kind: "none"; sentence: string }
  | {
      kind: "shown";
      total: number;
      segments: { key: string; name: string; customers: number; value: number }[];
      /** Gamma-Gamma's independence assumption visibly broken on this shop (frequency and order value correlate). */
      spendWarning: boolean;
    };

/** Predicted revenue over the next 12 months per segment, as the latest prediction run stored it (never recomputed here). */
export async function predictedRevenue(db: Db, shop: string, locale: string | null): Promise<PredictedRevenue> {
  const language = languageOf(locale);
  const [run, settings] = await Promise.all([
    latestPredictionRun(db, shop, { sufficient: true, reason: true, summary: true, gammaGamma: true }),
    loadRfmSettings(db, shop),
  ]);
  if (!run) return { kind: "none", sentence: explainNoPredictions("not_run", language) };
  const summary = PredictionSummary.safeParse(run.summary);
  if (!run.sufficient || !summary.success)
    return {
      kind: "none",
      sentence: explainNoPredictions(predictionReasonOf(run.reason), language),
    };
  const order = new Map<string, number>(SEGMENT_KEYS.map((k, i) => [k, i]));
  const segments = summary.data.segments
    .filter((s) => s.customers > 0)
    .sort((a, b) => (order.get(a.segment) ?? 99) - (order.get(b.segment) ?? 99))
    .map((s) => ({
      key: s.segment,
      name: segmentName(s.segment as SegmentKey, settings, locale),
      customers: s.customers,
      value: s.predictedValue12m,
    }));
  return {
    kind: "shown",
    total: summary.data.predictedValue12m,
    segments,
    spendWarning: GammaGammaJson.safeParse(run.gammaGamma).data?.strongCorrelation ?? false,
  };
}
