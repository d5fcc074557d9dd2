import type { Db } from "../../platform/db.server";
import { PeakSeason, DEFAULT_PEAK_SEASONS } from "../../domain/peak-seasons";
import { InvalidSettingsError, loadRfmSettings, saveSettings } from "../../settings/settings.server";
import { resolveLocale } from "../../i18n/locale.server";
import { presetForLocale } from "../../i18n/rfm/presets";
import { afterSettingsSaved } from "../../pipeline/jobs.server";

/** The stored RFM settings and peak seasons, as the settings form edits them. */
export async function loadSettingsPage(db: Db, shop: string) {
  const [rfm, row] = await Promise.all([
    loadRfmSettings(db, shop),
    db.shopSettings.findUnique({ where: { shop }, select: { peakSeasons: true } }),
  ]);
  const peaks = PeakSeason.array().safeParse(row?.peakSeasons);
  return { rfm, peakSeasons: peaks.success ? peaks.data : DEFAULT_PEAK_SEASONS };
}

/** The page's data: the stored settings, and which name preset "automatic" means in the admin's language. */
export async function settingsPageData(db: Db, shop: string, request: Request) {
  const { locale } = await resolveLocale(db, shop, request);
  const page = await loadSettingsPage(db, shop);
  return { ...page, autoPreset: presetForLocale(locale) };
}

export type SettingsActionResult =
  { saved: true; problems: [] } | { saved: false; problems: { path: string; message: string }[] };

/** Saves the form's JSON body; a refused save answers with the problems and stores nothing. */
export async function settingsAction(db: Db, shop: string, request: Request): Promise<SettingsActionResult> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return { saved: false, problems: [{ path: "", message: "malformed JSON" }] };
  }
  try {
    await saveSettings(db, shop, body);
  } catch (error) {
    if (error instanceof InvalidSettingsError) return { saved: false, problems: error.problems };
    throw error;
  }
  await afterSettingsSaved(shop);
  return { saved: true, problems: [] };
}
