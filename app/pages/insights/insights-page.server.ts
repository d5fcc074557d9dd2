import { z } from "zod";
import type { Db } from "../../platform/db.server";
import { latestInsights, latestInsightsShown } from "../../pipeline/insights/insights.server";
import { loadRfmSettings } from "../../settings/settings.server";
import { resolveLocale } from "../../i18n/locale.server";
import { MESSAGES } from "../../i18n/messages";
import { segmentName } from "../../i18n/rfm/presets";
import { SEGMENT_KEYS } from "../../domain/rfm/segments";
import { LOST_SEGMENTS, LOYAL_SEGMENTS } from "../../domain/insights/segment-groups";
import { againstShop } from "../../domain/insights/first-products";
import type { FirstOrderDimension, GroupStats } from "../../domain/insights/shapes";
import { CSV_COMMA, CSV_SEMICOLON, csvRows, csvStart } from "../../domain/csv";
import {
  channelCsvRows,
  cohortCsvColumns,
  cohortCsvRows,
  couponCsvRows,
  firstProductCsvRows,
  groupCsvColumns,
} from "../../domain/insights/csv";
import { productAdminUrl } from "../../shopify/admin-urls";

/** Rows each ranked list shows on the page (the CSV has every group). */
const PAGE_LIST_LENGTH = 10;

const ranked = (dimension: FirstOrderDimension, keys: readonly string[]) => {
  const byKey = new Map(dimension.groups.map((g) => [g.key, g]));
  return keys.slice(0, PAGE_LIST_LENGTH).flatMap((k) => {
    const group = byKey.get(k);
    return group ? [group] : [];
  });
};

/** The insights page: the newest stored InsightRun only (one row by primary key order, the shown products), never the orders. */
export async function loadInsightsPage(db: Db, shop: string, request: Request) {
  const [insights, settings, { locale }] = await Promise.all([
    latestInsightsShown(db, shop, PAGE_LIST_LENGTH),
    loadRfmSettings(db, shop),
    resolveLocale(db, shop, request),
  ]);
  const names = Object.fromEntries(SEGMENT_KEYS.map((k) => [k, segmentName(k, settings, locale)]));
  const segmentOrder = [...SEGMENT_KEYS];
  const shared = {
    names,
    segmentOrder,
    loyalKeys: [...LOYAL_SEGMENTS],
    lostKeys: [...LOST_SEGMENTS],
    couponShopperName: segmentName("coupon_shopper", settings, locale),
  };
  if (!insights) return { ...shared, insights: null };
  const run = await db.scoringRun.findUnique({
    where: { shop_id: { shop, id: insights.scoringRunId } },
    select: { asOf: true },
  });
  const { firstProducts, couponCohorts, cohorts, channels } = insights;
  const vsShop = (groups: GroupStats[]) => groups.map((g) => ({ ...g, vsShop: againstShop(g, firstProducts.shop) }));
  const withLinks = (groups: GroupStats[]) =>
    groups.map((g) => ({ ...g, adminUrl: productAdminUrl(shop, g.key), vsShop: againstShop(g, firstProducts.shop) }));
  return {
    ...shared,
    insights: {
      asOf: run?.asOf.toISOString().slice(0, 10) ?? null,
      minSupport: firstProducts.minSupport,
      shop: firstProducts.shop,
      productsBelowSupport: firstProducts.products.belowSupport,
      makesLoyal: withLinks(ranked(firstProducts.products, firstProducts.products.makesLoyal)),
      noReturn: withLinks(ranked(firstProducts.products, firstProducts.products.noReturn)),
      vendors: vsShop(firstProducts.vendors.groups),
      productTypes: firstProducts.productTypes ? vsShop(firstProducts.productTypes.groups) : null,
      channels: channels
        ? {
            minSupport: channels.minSupport,
            coverage: channels.coverage,
            channelsBelowSupport: channels.channels.belowSupport,
            campaignsBelowSupport: channels.campaigns.belowSupport,
            channels: vsShop(channels.channels.groups),
            campaigns: vsShop(channels.campaigns.groups),
          }
        : null,
      coupons: couponCohorts,
      cohorts,
    },
  };
}

export const InsightCsvKind = z.enum(["first-products", "channels", "coupons", "cohorts"]);

/** One insight as CSV, in the admin's language and spreadsheet dialect, from the stored run. */
export async function insightsCsvExport(db: Db, shop: string, request: Request, kind: string | undefined) {
  const parsed = InsightCsvKind.safeParse(kind);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  const [insights, { context }] = await Promise.all([latestInsights(db, shop), resolveLocale(db, shop, request)]);
  if (!insights) throw new Response("Not found", { status: 404 });
  const t = MESSAGES[context.language].insights;
  const h = t.csv;
  const dialect = context.language === "nl" ? CSV_SEMICOLON : CSV_COMMA;
  let body: string;
  if (parsed.data === "cohorts") {
    const columns = cohortCsvColumns(h);
    body = csvStart(columns, dialect) + csvRows(cohortCsvRows(insights.cohorts), columns, dialect);
  } else {
    const columns = groupCsvColumns(h);
    const { channels, firstProducts } = insights;
    if (parsed.data === "channels" && !channels) throw new Response("Not found", { status: 404 });
    const rows =
      parsed.data === "coupons"
        ? couponCsvRows(insights.couponCohorts, { first: t.colGroup, second: t.colSecond })
        : parsed.data === "channels" && channels
          ? channelCsvRows(channels, firstProducts.shop, { shop: h.shop, channel: h.channel, campaign: h.campaign })
          : firstProductCsvRows(firstProducts, {
              shop: h.shop,
              product: h.product,
              vendor: h.vendor,
              productType: h.productType,
            });
    body = csvStart(columns, dialect) + csvRows(rows, columns, dialect);
  }
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="rfm-insights-${parsed.data}-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
