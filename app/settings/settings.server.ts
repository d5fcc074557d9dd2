import { z } from "zod";
import type { Db } from "../platform/db.server";
import { PeakSeason, DEFAULT_PEAK_SEASONS } from "../domain/peak-seasons";
import { RfmSettings, DEFAULT_RFM_SETTINGS } from "../domain/rfm/settings";
import type { DbTx } from "../platform/db.server";

/** The settings page saves both at once. */
export const SettingsInput = z.object({ rfm: z.unknown(), peakSeasons: z.unknown() });

export async function loadRfmSettings(db: Db | DbTx, shop: string): Promise<RfmSettings> {
  const row = await db.shopSettings.findUnique({ where: { shop }, select: { rfm: true } });
  if (!row?.rfm) return DEFAULT_RFM_SETTINGS;
  const parsed = RfmSettings.safeParse(row.rfm);
  return parsed.success ? parsed.data : DEFAULT_RFM_SETTINGS;
}

export class InvalidSettingsError extends Error {
  constructor(readonly problems: { path: string; message: string }[]) {
    super(`Invalid RFM settings: ${problems.map((p) => `${p.path || "settings"}: ${p.message}`).join("; ")}`);
  }
}

/**
 * Validates and stores the merchant's edits (renames, rule ranges, thresholds…). Takes effect on the next run.
 * `byMerchant: false` is the app's own write (the adopted segment language): it leaves merchantSavedAt alone,
 * so a new install's first F mode is still chosen for it (chooseFirstFrequencyMode).
 */
export async function saveRfmSettings(
  db: Db,
  shop: string,
  input: unknown,
  { byMerchant = true }: { byMerchant?: boolean } = {},
): Promise<RfmSettings> {
  const parsed = RfmSettings.safeParse(input);
  if (!parsed.success)
    throw new InvalidSettingsError(parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
  const rfm = JSON.parse(JSON.stringify(parsed.data));
  const mark = byMerchant ? { merchantSavedAt: new Date() } : {};
  await db.shopSettings.upsert({
    where: { shop },
    create: { shop, peakSeasons: DEFAULT_PEAK_SEASONS, rfm, ...mark },
    update: { rfm, ...mark },
  });
  return parsed.data;
}

/**
 * The first admin to open the app (the one who installed it) sets the language Shopify segments are named
 * in, unless the merchant chose one; later admins in other languages change nothing.
 */
export async function adoptSegmentLanguage(db: Db, shop: string, language: "en" | "nl"): Promise<void> {
  const settings = await loadRfmSettings(db, shop);
  if (settings.writeBack.language !== null) return;
  await saveRfmSettings(
    db,
    shop,
    { ...settings, writeBack: { ...settings.writeBack, language } },
    { byMerchant: false },
  );
}

export interface SettingsProblem {
  /** Dotted path of the field, e.g. "rfm.writeBack.tagPrefix" or "peakSeasons.1.from". */
  path: string;
  message: string;
}

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

/**
 * Validates everything first and stores nothing unless all of it is valid.
 * Changed peak seasons mark the aggregates stale: the first-order season is
 * part of them, and the next scoring run recomputes them before ranking.
 */
export async function saveSettings(
  db: Db,
  shop: string,
  input: unknown,
): Promise<{ rfm: RfmSettings; peaksChanged: boolean }> {
  const body = SettingsInput.safeParse(input);
  if (!body.success) throw new InvalidSettingsError([{ path: "", message: "expected { rfm, peakSeasons }" }]);
  const rfm = RfmSettings.safeParse(body.data.rfm);
  const peaks = PeakSeason.array().max(20).safeParse(body.data.peakSeasons);
  const problems: SettingsProblem[] = [
    ...(rfm.success ? [] : rfm.error.issues.map((i) => ({ path: ["rfm", ...i.path].join("."), message: i.message }))),
    ...(peaks.success
      ? []
      : peaks.error.issues.map((i) => ({ path: ["peakSeasons", ...i.path].join("."), message: i.message }))),
  ];
  if (peaks.success) {
    const keys = peaks.data.map((p) => p.key);
    keys.forEach(
      (k, i) =>
        keys.indexOf(k) !== i &&
        problems.push({ path: `peakSeasons.${i}.key`, message: "each season needs its own name" }),
    );
    peaks.data.forEach((p, i) => {
      if (p.kind !== "fixed") return;
      for (const side of ["from", "to"] as const) {
        const [m, d] = p[side].split("-").map(Number);
        if (!m || !d || m > 12 || d > new Date(Date.UTC(2024, m, 0)).getUTCDate())
          problems.push({ path: `peakSeasons.${i}.${side}`, message: "not a calendar day" });
      }
    });
  }
  if (problems.length > 0 || !rfm.success || !peaks.success) throw new InvalidSettingsError(problems);
  return db.$transaction(async (tx) => {
    const before = await tx.shopSettings.findUnique({ where: { shop }, select: { peakSeasons: true } });
    const was = PeakSeason.array().safeParse(before?.peakSeasons ?? DEFAULT_PEAK_SEASONS);
    // jsonb reorders keys: compare the seasons, not their spelling.
    const peaksChanged = !was.success || canonical(was.data) !== canonical(peaks.data);
    const json = JSON.parse(JSON.stringify(rfm.data));
    await tx.shopSettings.upsert({
      where: { shop },
      create: { shop, peakSeasons: peaks.data, rfm: json, aggregatesStale: peaksChanged, merchantSavedAt: new Date() },
      update: {
        rfm: json,
        peakSeasons: peaks.data,
        merchantSavedAt: new Date(),
        ...(peaksChanged ? { aggregatesStale: true } : {}),
      },
    });
    return { rfm: rfm.data, peaksChanged };
  });
}
