import { ANNUAL_DISCOUNT_RATE_RANGE, DEFAULT_FREQUENCY_THRESHOLDS, type RfmSettings } from "../../domain/rfm/settings";
import type { PeakSeason } from "../../domain/peak-seasons";
import type { Messages } from "../../i18n/messages";
import { fill } from "../../i18n/use-i18n";
import type { SegmentKey } from "../../domain/rfm/segments";
import type { BehaviourKey } from "../../domain/rfm/behaviours";

/** What the settings form edits and saves in one request. */
export type SettingsForm = { rfm: RfmSettings; peakSeasons: PeakSeason[] };

/** The preset's name of every segment and behaviour (what a field shows when the merchant named nothing). */
export type PresetNames = Record<SegmentKey | BehaviourKey, string>;

/** What every section of the form gets: the RFM settings, a patcher, and the message for a refused field. */
export interface SectionProps {
  rfm: RfmSettings;
  setRfm: (patch: Partial<RfmSettings>) => void;
  errorAt: (prefix: string) => string | undefined;
}

/**
 * Which message explains a problem at this path (the server's own text is
 * English only); a date's message shows a day as the admin's locale writes it.
 */
export function errorText(path: string, t: Messages, dateExample = ""): string {
  if (path.startsWith("rfm.frequencyThresholds")) return t.errors.frequencyThresholds;
  if (path.startsWith("rfm.writeBack.tagPrefix")) return t.errors.tagPrefix;
  if (path.startsWith("rfm.rules")) return t.errors.rules;
  if (path.startsWith("rfm.names")) return t.errors.name;
  if (path.startsWith("rfm.behaviours.highValueMinSpend")) return t.errors.money;
  if (path.startsWith("rfm.predictions.annualDiscountRate"))
    return fill(t.errors.percent, {
      min: ANNUAL_DISCOUNT_RATE_RANGE.min * 100,
      max: ANNUAL_DISCOUNT_RATE_RANGE.max * 100,
    });
  if (/^peakSeasons\.\d+\.(from|to)$/.test(path)) return t.errors.date.replace("{example}", dateExample);
  if (/(Days|Orders|Runs|Hour|days|daysBefore)$/.test(path)) return t.errors.number;
  return t.errors.generic;
}

export const thresholdTextOf = (rfm: RfmSettings) =>
  (rfm.frequencyThresholds ?? DEFAULT_FREQUENCY_THRESHOLDS[rfm.scale]).join(", ");

export const int = (v: string) => (v.trim() === "" ? Number.NaN : Number(v));
/** A cleared number field stays empty (NaN is sent as null and rejected on save). */
export const numText = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? "" : String(n));
/** A fraction setting shown as a percentage (0.125 as 12.5); the field's value / 100 is stored. */
export const percentText = (p: number | undefined) => numText(p === undefined ? p : Math.round(p * 10_000) / 100);
