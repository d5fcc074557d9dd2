import type { Db } from "../platform/db.server";
import { rememberAdminLocale } from "../shopify/shop.server";
import { adoptSegmentLanguage } from "../settings/settings.server";
import { formatLocaleOf, languageOf } from "./locale";
import type { LocaleContext } from "./use-i18n";

/**
 * The admin passes its language as ?locale= when it loads the app; client
 * navigations inside the app drop it, so the last one seen is remembered
 * per shop (background jobs name Shopify segments in it too).
 */
export async function resolveLocale(
  db: Db,
  shop: string,
  request: Request,
): Promise<{ locale: string | null; context: LocaleContext }> {
  const fromUrl = new URL(request.url).searchParams.get("locale");
  const row = await db.shop.findUnique({
    where: { shop },
    select: { adminLocale: true, currencyCode: true, ianaTimezone: true },
  });
  const locale = fromUrl && /^[a-z]{2}(-[A-Za-z]{2,4})?$/.test(fromUrl) ? fromUrl : (row?.adminLocale ?? null);
  if (fromUrl && fromUrl !== row?.adminLocale) {
    await rememberAdminLocale(db, shop, fromUrl);
    // Only a shop that exists (installed) gets its segment language from this visit.
    if (row && locale) await adoptSegmentLanguage(db, shop, languageOf(locale));
  }
  return {
    locale,
    context: {
      language: languageOf(locale),
      formatLocale: formatLocaleOf(locale),
      currency: row?.currencyCode ?? null,
      timeZone: row?.ianaTimezone ?? null,
    },
  };
}
