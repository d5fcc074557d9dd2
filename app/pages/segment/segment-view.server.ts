import { anyEngagement } from "../../pipeline/engagement/engagement-source.server";
import type { Db } from "../../platform/db.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import {
  customerAdminUrl,
  discountsAdminUrl,
  flowAdminUrl,
  segmentAdminUrl,
  segmentsAdminUrl,
  shopifyEmailAdminUrl,
} from "../../shopify/admin-urls";
import { latestFullRun } from "../../pipeline/score/scoring.server";
import { latestPredictionRun } from "../../pipeline/predict/predictions.server";
import { NO_CUTOFFS, RunCutoffs, RunStats, RunSummary } from "../../pipeline/score/run-shapes";
import { loadRfmSettings } from "../../settings/settings.server";
import { RfmSettings, rulesOf } from "../../domain/rfm/settings";
import { segmentName, SEGMENT_DESCRIPTIONS } from "../../i18n/rfm/presets";
import { describeBehaviour, describeSegmentRule } from "../../i18n/rfm/describe";
import { actionTool, recommendedActions } from "../../i18n/rfm/actions";
import { resolveLocale } from "../../i18n/locale.server";
import { formatters } from "../../i18n/format";
import { customerDataNotice } from "../../shopify/customer-data-access.server";
import { MESSAGES } from "../../i18n/messages";
import { CSV_COMMA, CSV_SEMICOLON } from "../../domain/csv";
import {
  ConsentFilter,
  CustomerListQuery,
  GroupKey,
  isBehaviour,
  segmentCsv,
  segmentCustomers,
} from "./segment-page.server";
import { DiscountForm, discountBlocker, submitDiscountForm, type DiscountResult } from "./discount-form.server";

const noSuchSegment = () => new Response("No such segment", { status: 404 });

/**
 * One segment or behaviour: what it means and its rule as the latest run
 * applied it, its figures, the Shopify segment it is synced to, and a page
 * of its customers (sorted, searched, by cursor).
 */
export async function loadSegmentPage(db: Db, shop: string, request: Request, segmentKey: string | undefined) {
  const parsedKey = GroupKey.safeParse(segmentKey);
  if (!parsedKey.success) throw noSuchSegment();
  const key = parsedKey.data;
  const [{ locale, context }, predictionRun] = await Promise.all([
    resolveLocale(db, shop, request),
    latestPredictionRun(db, shop, { sufficient: true }),
  ]);
  // The predicted-value sort and column only when the latest prediction run was sufficient (it stored predictions).
  const predictions = predictionRun?.sufficient === true;
  const asked = CustomerListQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const query = !predictions && asked.sort === "predicted" ? { ...asked, sort: "spend" as const } : asked;
  const [settings, run, synced, page, customerData, engagement] = await Promise.all([
    loadRfmSettings(db, shop),
    latestFullRun(db, shop),
    db.shopifySegment.findUnique({ where: { shop_key: { shop, key } } }),
    segmentCustomers(db, shop, key, query),
    customerDataNotice(db, shop),
    anyEngagement(db, shop),
  ]);
  const money = formatters(context.formatLocale, context.currency, context.timeZone).money;
  // The rule as the run that placed these customers saw it.
  const runSettings = RfmSettings.safeParse(run?.settings);
  const scored = runSettings.success ? runSettings.data : settings;
  const storedCutoffs = RunCutoffs.safeParse(run?.cutoffs);
  const cutoffs = storedCutoffs.success ? storedCutoffs.data : NO_CUTOFFS;
  const storedStats = RunStats.partial().safeParse(run?.stats ?? {});
  const stats = storedStats.success ? storedStats.data : {};
  const storedSummary = RunSummary.safeParse(run?.summary);
  const summary = storedSummary.success ? storedSummary.data : null;
  const figures = summary ? (isBehaviour(key) ? summary.behaviours[key] : summary.segments[key]) : undefined;
  const language = context.language;
  // Counted with the run's summary (consent-counts.server.ts); null for a run stored before consent was counted.
  const consent = summary?.consent
    ? ((isBehaviour(key) ? summary.consent.behaviours : summary.consent.segments)[key] ?? { email: 0, sms: 0 })
    : null;
  // Real admin pages only: the synced segment (else the segment list), Discounts, the Email and Flow apps.
  const toolLink = (tool: ReturnType<typeof actionTool>) => {
    if (tool === "segment")
      return synced
        ? { label: "segment" as const, url: segmentAdminUrl(shop, synced.segmentId) }
        : { label: "segments" as const, url: segmentsAdminUrl(shop) };
    if (tool === "discounts") return { label: "discounts" as const, url: discountsAdminUrl(shop) };
    if (tool === "email") return { label: "email" as const, url: shopifyEmailAdminUrl(shop) };
    if (tool === "flow") return { label: "flow" as const, url: flowAdminUrl(shop) };
    return null;
  };
  return {
    key,
    name: segmentName(key, settings, locale),
    description: isBehaviour(key) ? null : SEGMENT_DESCRIPTIONS[language][key],
    rule: isBehaviour(key)
      ? [describeBehaviour(key, settings, stats, language, money)]
      : describeSegmentRule(key, rulesOf(scored), cutoffs, language, money, settings.behaviours),
    actions: recommendedActions(key, language).map((text) => ({ text, link: toolLink(actionTool(text)) })),
    asOf: run ? run.asOf.toISOString().slice(0, 10) : null,
    figures: figures
      ? {
          ...figures,
          share: summary && summary.total.customers > 0 ? figures.customers / summary.total.customers : 0,
          revenueShare:
            summary && Number(summary.total.revenue) > 0 ? Number(figures.revenue) / Number(summary.total.revenue) : 0,
          aov: figures.orders > 0 ? (Number(figures.revenue) / figures.orders).toFixed(2) : null,
        }
      : null,
    consent: consent && {
      ...consent,
      emailShare: figures && figures.customers > 0 ? consent.email / figures.customers : 0,
      smsShare: figures && figures.customers > 0 ? consent.sms / figures.customers : 0,
    },
    customerData,
    shopifySegment: synced ? { name: synced.name, url: segmentAdminUrl(shop, synced.segmentId) } : null,
    discountBlocked: discountBlocker(key, settings, synced !== null, engagement !== null),
    customers: page.customers.map((c) => ({ ...c, adminUrl: customerAdminUrl(shop, c.customerId) })),
    predictions,
    next: page.next,
    previous: page.previous,
    query: {
      sort: query.sort,
      dir: query.dir,
      q: query.q ?? "",
      subscribed: query.subscribed ?? null,
      cell: query.r !== undefined && query.f !== undefined ? { r: query.r, f: query.f } : null,
    },
  };
}

/** The page's discount form: a code for this segment only. The Admin client is made only for a valid form. */
export async function segmentAction(
  deps: { db: Db; adminClient: () => AdminClient },
  shop: string,
  request: Request,
  segmentKey: string | undefined,
): Promise<DiscountResult> {
  const key = GroupKey.safeParse(segmentKey);
  if (!key.success) throw noSuchSegment();
  const input = DiscountForm.safeParse({ ...Object.fromEntries(await request.formData()), segmentKey: key.data });
  if (!input.success) throw new Response("Unknown request", { status: 400 });
  return submitDiscountForm({ db: deps.db, admin: deps.adminClient }, shop, input.data);
}

/**
 * The segment's customers as a CSV attachment Excel opens right in the
 * admin's language: Dutch admins get ";" and decimal commas, English ones ","
 * and decimal points; both a UTF-8 byte order mark and headers in their language.
 */
export async function segmentCsvExport(db: Db, shop: string, request: Request, segmentKey: string | undefined) {
  const key = GroupKey.safeParse(segmentKey);
  if (!key.success) throw noSuchSegment();
  const [{ locale, context }, settings, predictionRun] = await Promise.all([
    resolveLocale(db, shop, request),
    loadRfmSettings(db, shop),
    latestPredictionRun(db, shop, { sufficient: true }),
  ]);
  const { csv: headers } = MESSAGES[context.language].segment;
  const { prediction } = MESSAGES[context.language].customer;
  const name = (k: string) => {
    const group = GroupKey.safeParse(k);
    return group.success ? segmentName(group.data, settings, locale) : k;
  };
  const dialect = context.language === "nl" ? CSV_SEMICOLON : CSV_COMMA;
  const day = new Date().toISOString().slice(0, 10);
  const subscribed = ConsentFilter.safeParse(new URL(request.url).searchParams.get("subscribed"));
  const filter = subscribed.success ? { subscribed: subscribed.data } : {};
  const file = `rfm-${key.data}${filter.subscribed ? `-${filter.subscribed}-subscribed` : ""}-${day}.csv`;
  const format = { dialect, labels: { headers, prediction, name }, predictions: predictionRun?.sufficient === true };
  return new Response(segmentCsv(db, shop, key.data, format, undefined, filter), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${file}"`,
      "Cache-Control": "no-store",
    },
  });
}
