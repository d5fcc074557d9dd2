import type { Db } from "../../platform/db.server";
import { explainScore } from "../../i18n/rfm/explain";
import { segmentName } from "../../i18n/rfm/presets";
import { formatLocaleOf, languageOf } from "../../i18n/locale";
import { formatters } from "../../i18n/format";
import type { SegmentKey } from "../../domain/rfm/segments";
import type { BehaviourKey } from "../../domain/rfm/behaviours";
import { NO_CUTOFFS, RunCutoffs } from "../../pipeline/score/run-shapes";
import { latestFullRun } from "../../pipeline/score/scoring.server";
import { loadRfmSettings } from "../../settings/settings.server";
import { customerSegmentHistory } from "../../pipeline/score/segment-history.server";

/**
 * Everything the customer view shows, read for one customer of one shop
 * (another shop's customer is simply not found): scores with the sentence
 * that explains each, totals, the segment timeline, behaviours and the
 * tags the app wrote.
 */
export async function customerView(db: Db, shop: string, customerId: bigint, locale: string | null) {
  const [score, aggregate, customer, run, settings, tags, shopRow] = await Promise.all([
    db.customerScore.findUnique({ where: { shop_customerId: { shop, customerId } } }),
    db.customerAggregate.findUnique({ where: { shop_customerId: { shop, customerId } } }),
    db.customer.findUnique({
      where: { shop_id: { shop, id: customerId } },
      select: { firstName: true, lastName: true, email: true },
    }),
    latestFullRun(db, shop),
    loadRfmSettings(db, shop),
    db.customerTagState.findUnique({ where: { shop_customerId: { shop, customerId } }, select: { tags: true } }),
    db.shop.findUnique({ where: { shop }, select: { currencyCode: true } }),
  ]);
  if (!score && !aggregate) return null;
  const language = languageOf(locale);
  const money = formatters(formatLocaleOf(locale), shopRow?.currencyCode ?? null, null).money;
  const stored = RunCutoffs.safeParse(run?.cutoffs);
  const cutoffs = stored.success ? stored.data : NO_CUTOFFS;
  const asOf = run ? run.asOf.toISOString().slice(0, 10) : null;
  const name = [customer?.firstName, customer?.lastName].filter(Boolean).join(" ") || null;
  const history = await customerSegmentHistory(db, shop, customerId);
  const label = (key: string) => segmentName(key as SegmentKey | BehaviourKey, settings, locale);
  return {
    language,
    name,
    email: customer?.email ?? null,
    asOf,
    score: score && {
      r: score.r,
      f: score.f,
      m: score.m,
      code: `${score.r}${score.f}${score.m}`,
      recencyDays: asOf ? Math.round((Date.parse(asOf) - score.lastOrderDate.getTime()) / 86_400_000) : null,
      frequency: score.frequency,
      monetary: money(score.monetary.toString()),
      explanations: [
        explainScore("r", score.r, cutoffs.r, language),
        explainScore("f", score.f, cutoffs.f, language),
        explainScore("m", score.m, cutoffs.m, language, money),
      ],
      segment: { key: score.segment, name: label(score.segment), since: score.segmentSince.toISOString().slice(0, 10) },
      candidate: score.candidateSegment ? { name: label(score.candidateSegment), runs: score.candidateRuns } : null,
      behaviours: score.behaviours.map((b) => ({ key: b, name: label(b) })),
    },
    totals: aggregate && {
      orders: aggregate.orderCount,
      netSpend: money(aggregate.netSpend.toString()),
      grossSpend: money(aggregate.grossSpend.toString()),
      averageOrder: money(aggregate.avgOrderValue.toString()),
      refunds: aggregate.refundCount,
      refunded: money(aggregate.refundAmount.toString()),
      firstOrderAt: aggregate.firstOrderAt.toISOString(),
      lastOrderAt: aggregate.lastOrderAt.toISOString(),
      daysBetweenOrders: aggregate.avgDaysBetweenOrders === null ? null : Math.round(aggregate.avgDaysBetweenOrders),
    },
    history: history.map((h) => ({ ...h, name: label(h.segment) })),
    appTags: tags?.tags ?? [],
  };
}
