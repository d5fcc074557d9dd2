import type { Db } from "../../platform/db.server";
import { explainScore } from "../../i18n/rfm/explain";
import { segmentName } from "../../i18n/rfm/presets";
import { formatLocaleOf, languageOf } from "../../i18n/locale";
import { formatters } from "../../i18n/format";
import type { SegmentKey } from "../../domain/rfm/segments";
import type { BehaviourKey } from "../../domain/rfm/behaviours";
import { NO_CUTOFFS, RunCutoffs } from "../../pipeline/score/run-shapes";
import { latestFullRunOf } from "../../pipeline/score/scoring.server";
import { loadRfmSettings } from "../../settings/settings.server";
import { customerSegmentHistory } from "../../pipeline/score/segment-history.server";
import { collapseVipTiers } from "../../domain/rfm/behaviours";
import { customerName } from "../../domain/customer-name";
import { customerPrediction } from "./customer-prediction.server";

/**
 * A "since" date as far as the app knows it. The first scoring run (a reconstruction of the shop 30 days back,
 * or the first full run) places every customer on its own date, so a stay starting then may have started
 * earlier: "historyStart" / "reconstructed" say so, "recorded" is a change the app saw happen.
 */
export type SinceKind = "recorded" | "historyStart" | "reconstructed";
export interface Since {
  date: string;
  kind: SinceKind;
}

export function sinceOf(date: string, historyStart: { date: string; reconstructed: boolean } | null): Since {
  if (!historyStart || date > historyStart.date) return { date, kind: "recorded" };
  return { date, kind: historyStart.reconstructed ? "reconstructed" : "historyStart" };
}

/**
 * Everything the customer view shows, read for one customer of one shop
 * (another shop's customer is simply not found): scores with the sentence
 * that explains each, totals, the segment timeline, behaviours and the
 * tags the app wrote.
 */
export async function customerView(db: Db, shop: string, customerId: bigint, locale: string | null) {
  const [score, aggregate, customer, run, settings, tags, shopRow, firstRun] = await Promise.all([
    db.customerScore.findUnique({ where: { shop_customerId: { shop, customerId } } }),
    db.customerAggregate.findUnique({ where: { shop_customerId: { shop, customerId } } }),
    db.customer.findUnique({
      where: { shop_id: { shop, id: customerId } },
      select: { firstName: true, lastName: true, email: true },
    }),
    latestFullRunOf(db, shop, { asOf: true, cutoffs: true }),
    loadRfmSettings(db, shop),
    db.customerTagState.findUnique({ where: { shop_customerId: { shop, customerId } }, select: { tags: true } }),
    db.shop.findUnique({ where: { shop }, select: { currencyCode: true, ianaTimezone: true } }),
    // Where the stored history starts (as the dashboard reads it).
    db.scoringRun.findFirst({
      where: { shop, kind: { in: ["full", "reconstructed"] }, finishedAt: { not: null } },
      orderBy: { id: "asc" },
      select: { asOf: true, kind: true },
    }),
  ]);
  if (!score && !aggregate) return null;
  const language = languageOf(locale);
  const fmt = formatters(formatLocaleOf(locale), shopRow?.currencyCode ?? null, null);
  const money = fmt.money;
  const stored = RunCutoffs.safeParse(run?.cutoffs);
  const cutoffs = stored.success ? stored.data : NO_CUTOFFS;
  const asOf = run ? run.asOf.toISOString().slice(0, 10) : null;
  const name = customerName(customer?.firstName, customer?.lastName);
  const history = await customerSegmentHistory(db, shop, customerId);
  const label = (key: string) => segmentName(key as SegmentKey | BehaviourKey, settings, locale);
  const start = firstRun
    ? { date: firstRun.asOf.toISOString().slice(0, 10), reconstructed: firstRun.kind === "reconstructed" }
    : null;
  const since = (date: string) => sinceOf(date, start);
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  const prediction =
    aggregate && asOf
      ? await customerPrediction(db, shop, customerId, aggregate, {
          asOf,
          timezone: shopRow?.ianaTimezone ?? "UTC",
          language,
          fmt,
        })
      : null;
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
      segment: {
        key: score.segment,
        name: label(score.segment),
        since: iso(score.segmentSince),
        sinceKind: since(iso(score.segmentSince)).kind,
      },
      candidate: score.candidateSegment ? { name: label(score.candidateSegment), runs: score.candidateRuns } : null,
      // The VIP tiers nest: only the highest one a customer is in is shown.
      behaviours: collapseVipTiers(score.behaviours).map((b) => {
        const at = score.behaviourSince[score.behaviours.indexOf(b)] ?? score.segmentSince;
        return { key: b, name: label(b), since: iso(at), sinceKind: since(iso(at)).kind };
      }),
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
    historyStart: start,
    history: history.map((h) => ({ ...h, name: label(h.segment), fromKind: since(h.from).kind })),
    appTags: tags?.tags ?? [],
    prediction,
  };
}
