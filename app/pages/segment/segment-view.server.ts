import type { Db } from "../../platform/db.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { customerAdminUrl, segmentAdminUrl } from "../../shopify/admin-urls";
import { latestFullRun } from "../../pipeline/score/scoring.server";
import { NO_CUTOFFS, RunCutoffs, RunStats, RunSummary } from "../../pipeline/score/run-shapes";
import { loadRfmSettings } from "../../settings/settings.server";
import { RfmSettings, rulesOf } from "../../domain/rfm/settings";
import { segmentName, SEGMENT_DESCRIPTIONS } from "../../i18n/rfm/presets";
import { describeBehaviour, describeSegmentRule } from "../../i18n/rfm/describe";
import { recommendedActions } from "../../i18n/rfm/actions";
import { resolveLocale } from "../../i18n/locale.server";
import { formatters } from "../../i18n/format";
import { CustomerListQuery, GroupKey, isBehaviour, segmentCustomers } from "./segment-page.server";
import { DiscountForm, submitDiscountForm } from "./discount-form.server";

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
  const query = CustomerListQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { locale, context } = await resolveLocale(db, shop, request);
  const [settings, run, synced, page] = await Promise.all([
    loadRfmSettings(db, shop),
    latestFullRun(db, shop),
    db.shopifySegment.findUnique({ where: { shop_key: { shop, key } } }),
    segmentCustomers(db, shop, key, query),
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
  return {
    key,
    name: segmentName(key, settings, locale),
    description: isBehaviour(key) ? null : SEGMENT_DESCRIPTIONS[language][key],
    rule: isBehaviour(key)
      ? [describeBehaviour(key, settings, stats, language, money)]
      : describeSegmentRule(key, rulesOf(scored), cutoffs, language, money, settings.behaviours),
    actions: recommendedActions(key, language),
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
    shopifySegment: synced ? { name: synced.name, url: segmentAdminUrl(shop, synced.segmentId) } : null,
    customers: page.customers.map((c) => ({ ...c, adminUrl: customerAdminUrl(shop, c.customerId) })),
    next: page.next,
    previous: page.previous,
    query: {
      sort: query.sort,
      dir: query.dir,
      q: query.q ?? "",
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
) {
  const key = GroupKey.safeParse(segmentKey);
  if (!key.success) throw noSuchSegment();
  const input = DiscountForm.safeParse({ ...Object.fromEntries(await request.formData()), segmentKey: key.data });
  if (!input.success)
    return { created: null, errors: input.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) };
  return submitDiscountForm({ db: deps.db, admin: deps.adminClient() }, shop, input.data);
}
