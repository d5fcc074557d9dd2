import { z } from "zod";
import type { Db } from "../../platform/db.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { segmentAdminUrl } from "../../shopify/admin-urls";
import { loadRfmSettings, saveRfmSettings } from "../../settings/settings.server";
import { resolveLocale } from "../../i18n/locale.server";
import { requestWriteBack } from "../../pipeline/jobs.server";
import { DiscountForm, submitDiscountForm, type DiscountResult } from "../segment/discount-form.server";
import { segmentSummary } from "./segment-summary.server";

/** The "In Shopify" page: the synced Shopify segments with their sizes, and whether tags are written. */
export async function loadShopifyPage(db: Db, shop: string, request: Request) {
  const { locale } = await resolveLocale(db, shop, request);
  const [summary, synced, settings] = await Promise.all([
    segmentSummary(db, shop, locale),
    db.shopifySegment.findMany({ where: { shop }, orderBy: { key: "asc" } }),
    loadRfmSettings(db, shop),
  ]);
  const sizes = new Map([...summary.segments, ...summary.behaviours].map((s) => [s.key, s.customers]));
  return {
    writeBackEnabled: settings.writeBack.enabled,
    segments: synced.map((s) => ({
      key: s.key,
      name: s.name,
      customers: sizes.get(s.key as never) ?? 0,
      adminUrl: segmentAdminUrl(shop, s.segmentId),
    })),
  };
}

const Intent = z.discriminatedUnion("intent", [
  DiscountForm,
  z.object({ intent: z.enum(["remove-tags", "restore-tags"]) }),
]);

export type ShopifyActionResult = DiscountResult & { tags: "removing" | "restoring" | null };

/** A discount code for any segment, or tags off/on again (write-back then removes or restores them). */
export async function shopifyAction(
  deps: { db: Db; adminClient: () => AdminClient },
  shop: string,
  request: Request,
): Promise<ShopifyActionResult> {
  const { db } = deps;
  const parsed = Intent.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success)
    return { created: null, tags: null, errors: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) };
  const input = parsed.data;
  if (input.intent !== "discount") {
    const settings = await loadRfmSettings(db, shop);
    await saveRfmSettings(db, shop, {
      ...settings,
      writeBack: { ...settings.writeBack, enabled: input.intent === "restore-tags" },
    });
    await requestWriteBack(shop);
    return { created: null, errors: [], tags: input.intent === "remove-tags" ? "removing" : "restoring" };
  }
  return { ...(await submitDiscountForm({ db, admin: deps.adminClient() }, shop, input)), tags: null };
}
