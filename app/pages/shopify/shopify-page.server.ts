import { anyEngagement } from "../../pipeline/engagement/engagement-source.server";
import { z } from "zod";
import type { Db } from "../../platform/db.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { segmentAdminUrl } from "../../shopify/admin-urls";
import { loadRfmSettings, saveRfmSettings } from "../../settings/settings.server";
import { resolveLocale } from "../../i18n/locale.server";
import { segmentName } from "../../i18n/rfm/presets";
import { requestAppDataRemoval, requestWriteBack } from "../../pipeline/jobs.server";
import { recordAppDataRemoval } from "../../pipeline/write-back/remove-app-data.server";
import { SEGMENT_KEYS } from "../../domain/rfm/segments";
import { BEHAVIOUR_KEYS } from "../../domain/rfm/behaviours";
import { BROWSER_SEGMENT_KEY } from "../../domain/engagement";
import { DiscountForm, submitDiscountForm, type DiscountResult } from "../segment/discount-form.server";
import { segmentSummary } from "./segment-summary.server";

/** Segments first, in the segment table's order, then behaviours in theirs (not alphabetically by key), browsers last. */
const RFM_ORDER: readonly string[] = [...SEGMENT_KEYS, ...BEHAVIOUR_KEYS, BROWSER_SEGMENT_KEY];
const rfmRank = (key: string) => {
  const i = RFM_ORDER.indexOf(key);
  return i < 0 ? RFM_ORDER.length : i;
};

/** How many customers carry app tags and how many Shopify segments the app keeps: what removal takes away. */
async function appFootprint(db: Db, shop: string) {
  const [tagCustomers, metafieldCustomers, segments] = await Promise.all([
    db.customerTagState.count({ where: { shop } }),
    db.customerMetafieldState.count({ where: { shop } }),
    db.shopifySegment.count({ where: { shop } }),
  ]);
  return { tagCustomers, metafieldCustomers, segments };
}

/** The last "remove everything the app wrote": waiting, running, failed for now, or what it removed. */
async function lastRemoval(db: Db, shop: string) {
  const r = await db.appDataRemoval.findFirst({ where: { shop }, orderBy: { id: "desc" } });
  if (!r) return null;
  return {
    kind: r.finishedAt ? ("done" as const) : r.startedAt ? ("running" as const) : ("queued" as const),
    at: r.finishedAt ?? r.requestedAt,
    error: r.message,
    tags: r.tagsRemoved ?? 0,
    customers: r.tagCustomers ?? 0,
    metafields: r.metafieldsRemoved ?? 0,
    segments: r.segmentsRemoved ?? 0,
    refused: r.refused,
  };
}

/** The "In Shopify" page: the synced Shopify segments (RFM order) with their sizes, and whether tags are written. */
export async function loadShopifyPage(db: Db, shop: string, request: Request) {
  const { locale } = await resolveLocale(db, shop, request);
  const [summary, synced, settings, footprint, removal, engagement, browsers] = await Promise.all([
    segmentSummary(db, shop, locale),
    db.shopifySegment.findMany({ where: { shop } }),
    loadRfmSettings(db, shop),
    appFootprint(db, shop),
    lastRemoval(db, shop),
    anyEngagement(db, shop),
    // Browsers never bought, so they have no score: the last full run's members are in CustomerBrowsing.
    db.customerBrowsing.count({ where: { shop } }),
  ]);
  const sizes = new Map<string, number>([
    ...[...summary.segments, ...summary.behaviours].map((s) => [s.key, s.customers] as const),
    [BROWSER_SEGMENT_KEY, browsers],
  ]);
  const w = settings.writeBack;
  return {
    writeBackEnabled: w.enabled,
    tagPrefix: w.tagPrefix,
    footprint,
    // Only while write-back stays off: once switched on again, the removal is undone.
    removal: w.enabled ? null : removal,
    segments: synced
      .sort((a, b) => rfmRank(a.key) - rfmRank(b.key))
      .map((s) => ({
        key: s.key,
        name: s.name,
        customers: sizes.get(s.key) ?? 0,
        adminUrl: segmentAdminUrl(shop, s.segmentId),
      })),
    // Write-back makes no Shopify segment nobody can be in yet; the page says why it is missing.
    waitingForEngagement:
      w.enabled && w.segmentTags && engagement === null ? segmentName("lost_engaged", settings, locale) : null,
  };
}

const Intent = z.discriminatedUnion("intent", [
  DiscountForm,
  z.object({ intent: z.enum(["remove-tags", "restore-tags"]) }),
]);

export type ShopifyActionResult =
  { discount: DiscountResult; tags: null } | { discount: null; tags: { kind: "removing" } | { kind: "restoring" } };

/** A discount code for any segment, or everything the app wrote removed (a job) / written back again. */
export async function shopifyAction(
  deps: { db: Db; adminClient: () => AdminClient },
  shop: string,
  request: Request,
): Promise<ShopifyActionResult> {
  const { db } = deps;
  const parsed = Intent.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw new Response("Unknown request", { status: 400 });
  const input = parsed.data;
  if (input.intent === "discount")
    return { discount: await submitDiscountForm({ db, admin: deps.adminClient }, shop, input), tags: null };
  if (input.intent === "remove-tags") {
    await requestAppDataRemoval(shop, await recordAppDataRemoval(db, shop));
    return { discount: null, tags: { kind: "removing" } };
  }
  const settings = await loadRfmSettings(db, shop);
  await saveRfmSettings(db, shop, { ...settings, writeBack: { ...settings.writeBack, enabled: true } });
  await requestWriteBack(shop);
  return { discount: null, tags: { kind: "restoring" } };
}
