import { z } from "zod";
import type { Db } from "../../platform/db.server";
import { queryRows } from "../../platform/db/sql.server";
import { DEFAULT_PEAK_SEASONS } from "../../domain/peak-seasons";
import { DEFAULT_RFM_SETTINGS } from "../../domain/rfm/settings";
import { lowestCountSkipsAScore } from "../../domain/rfm/first-screen";
import { logger } from "../../platform/logger.server";

/** Stored settings as JSON: only their top-level keys matter here. */
const StoredRfm = z.record(z.string(), z.json());

/**
 * A new install's F mode, chosen once before its first run: when so many
 * customers share the lowest order count that tie-aware ranks would leave
 * F 2 empty (≥ 40 % on the 5-point scale), the shop starts with fixed
 * order-count thresholds, stored as its setting so Settings shows it and
 * the merchant can switch back. Decided once, never again by itself: a
 * mode that flipped whenever the share crossed 40 % would move customers
 * between F scores (and segments, tags, Flow) without anything they did.
 * A shop whose merchant saved settings (merchantSavedAt) keeps them.
 */
export async function chooseFirstFrequencyMode(db: Db, shop: string): Promise<"rank" | "thresholds" | null> {
  // Settings the app stored itself (the installing admin's segment language) are no choice of F mode.
  const saved = await db.shopSettings.findUnique({ where: { shop }, select: { merchantSavedAt: true } });
  if (saved?.merchantSavedAt) return null;
  const [counts] = await queryRows(db, "pipeline/score/lowest-order-count.sql", shop);
  if (!counts || counts.customers === 0) return null;
  const share = counts.lowest / counts.customers;
  if (!lowestCountSkipsAScore(share, DEFAULT_RFM_SETTINGS.scale)) return "rank";
  // Only the mode is added to what is stored: every other setting stays as it was (or follows the defaults).
  const stored = await db.shopSettings.findUnique({ where: { shop }, select: { rfm: true } });
  const kept = StoredRfm.safeParse(stored?.rfm);
  const rfm = { ...(kept.success ? kept.data : {}), frequencyMode: "thresholds" };
  await db.shopSettings.upsert({
    where: { shop },
    create: { shop, peakSeasons: DEFAULT_PEAK_SEASONS, rfm },
    update: { rfm },
  });
  logger.info({ shop, share }, "first run: frequency by fixed order-count thresholds");
  return "thresholds";
}
