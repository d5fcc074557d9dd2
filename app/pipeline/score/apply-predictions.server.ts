import type { Db, DbTx } from "../../platform/db.server";
import { execute, queryRows } from "../../platform/db/sql.server";
import { parseMoney } from "../../domain/money";
import { SegmentKey } from "../../domain/rfm/segments";
import {
  PREDICTION_BEHAVIOURS,
  expectedOrdersBandOf,
  pAliveBandOf,
  predictionBehavioursOf,
  valueTierOf,
  type ValueTierThresholds,
} from "../../domain/rfm/prediction-bands";
import { loadRfmSettings } from "../../settings/settings.server";
import { lockShopScoring } from "../aggregate/locks.server";
import { markWriteBackPendingSql } from "../write-back/pending.server";
import { RunStats, RunSummary } from "./run-shapes";
import { latestFullRun } from "./scoring.server";

/**
 * After each prediction run: every scored customer's prediction bands and the
 * three prediction behaviours (likely to churn, rising star, ordering soon)
 * on CustomerScore, from the latest CustomerPrediction rows. Scoring keeps
 * both as they are (it does not wait for predictions), so this is the only
 * place they change. Only customers whose bands or behaviours changed are
 * written and marked for write-back: predictions drifting inside their bands
 * cost nothing in Shopify. A customer without a prediction (the shop is not
 * fitted, or they are newer than the fit) has no bands and none of the three.
 */

export interface ApplyPredictionsOutcome {
  /** Customers whose bands or prediction behaviours changed (marked for write-back). */
  changed: number;
  /** Scored customers looked at. */
  customers: number;
  thresholds: ValueTierThresholds;
}

const PREDICTION_KEYS: readonly string[] = PREDICTION_BEHAVIOURS;
/** A stored calendar date (midnight UTC) as YYYY-MM-DD. */
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

export async function applyPredictions(
  db: Db,
  shop: string,
  options: { pageSize?: number } = {},
): Promise<ApplyPredictionsOutcome> {
  const pageSize = options.pageSize ?? 5_000;
  const { behaviours: settings } = await loadRfmSettings(db, shop);
  return db.$transaction(
    async (tx) => {
      // Scoring reads the behaviours it keeps: one writer at a time.
      await lockShopScoring(tx, shop);
      const run = await latestFullRun(tx, shop);
      const outcome: ApplyPredictionsOutcome = {
        changed: 0,
        customers: 0,
        thresholds: { top_10: null, top_25: null, top_50: null },
      };
      if (!run) return outcome;
      const asOf = isoDate(run.asOf);
      const stats = RunStats.pick({ highValueMinSpend: true }).parse(run.stats);
      const highValueMinSpend = stats.highValueMinSpend === null ? null : parseMoney(stats.highValueMinSpend);
      const [tiers] = await queryRows(tx, "pipeline/score/prediction-value-tiers.sql", shop);
      const thresholds: ValueTierThresholds = {
        top_10: tiers?.top_10 ?? null,
        top_25: tiers?.top_25 ?? null,
        top_50: tiers?.top_50 ?? null,
      };
      outcome.thresholds = thresholds;
      const context = { highValueMinSpend, settings };
      for (let after = -1n; ;) {
        const page = await queryRows(tx, "pipeline/score/prediction-facts.sql", shop, after, pageSize);
        const last = page.at(-1);
        if (!last) break;
        after = last.id;
        outcome.customers += page.length;
        const updates: {
          id: string;
          behaviours: string[];
          since: string[];
          p: string | null;
          v: string | null;
          o: string | null;
        }[] = [];
        const ended: { id: string; behaviour: string; since: string }[] = [];
        for (const row of page) {
          const { p_alive: pAlive, p_order30: pOrder30, orders365 } = row;
          const predicted =
            pAlive !== null && pOrder30 !== null && orders365 !== null ? { pAlive, pOrder30, orders365 } : null;
          const valueTier = predicted && row.value12m !== null ? valueTierOf(row.value12m, thresholds) : null;
          const segment = SegmentKey.safeParse(row.segment);
          const wanted =
            predicted && segment.success
              ? predictionBehavioursOf(
                  {
                    segment: segment.data,
                    lifetimeSpend: row.lifetime_spend === null ? 0n : parseMoney(row.lifetime_spend.toFixed(4)),
                    pAlive: predicted.pAlive,
                    pOrder30: predicted.pOrder30,
                    valueTier,
                  },
                  context,
                )
              : [];
          const p = predicted ? pAliveBandOf(predicted.pAlive) : null;
          const o = predicted ? expectedOrdersBandOf(predicted.orders365) : null;
          const since = new Map(row.behaviours.map((b, i) => [b, row.behaviour_since[i]]));
          // The rule behaviours stay where scoring put them; the prediction ones follow, in BEHAVIOUR_KEYS order.
          const behaviours = [...row.behaviours.filter((b) => !PREDICTION_KEYS.includes(b)), ...wanted];
          const sameBehaviours =
            behaviours.length === row.behaviours.length && behaviours.every((b, i) => row.behaviours[i] === b);
          if (sameBehaviours && p === row.p_alive_band && valueTier === row.value_tier && o === row.orders_band)
            continue;
          const day = (d: Date | undefined) => (d ? isoDate(d) : asOf);
          updates.push({
            id: String(row.id),
            behaviours,
            since: behaviours.map((b) => day(since.get(b))),
            p,
            v: valueTier,
            o,
          });
          for (const [b, from] of since)
            if (!behaviours.includes(b)) ended.push({ id: String(row.id), behaviour: b, since: day(from) });
        }
        if (updates.length === 0) continue;
        await execute(tx, "pipeline/score/apply-prediction-bands.sql", shop, JSON.stringify(updates));
        if (ended.length > 0)
          await execute(tx, "pipeline/score/end-behaviour-stays.sql", shop, JSON.stringify(ended), asOf);
        await tx.$executeRawUnsafe(
          markWriteBackPendingSql("SELECT unnest($2::bigint[])"),
          shop,
          updates.map((u) => BigInt(u.id)),
        );
        outcome.changed += updates.length;
      }
      if (outcome.changed > 0) await refreshPredictionFigures(tx, shop, run.id, asOf);
      return outcome;
    },
    { timeout: 10 * 60_000, maxWait: 60_000 },
  );
}

/**
 * The run's summary was written before this job set the prediction behaviours: their figures (behaviour pages'
 * counts, consent, the dashboard) are read again from the scores, so the pages don't lag a day behind.
 */
async function refreshPredictionFigures(tx: DbTx, shop: string, runId: bigint, asOf: string): Promise<void> {
  const row = await tx.scoringRun.findUniqueOrThrow({
    where: { shop_id: { shop, id: runId } },
    select: { summary: true, stats: true },
  });
  const parsedSummary = RunSummary.safeParse(row.summary);
  const parsedStats = RunStats.safeParse(row.stats);
  if (!parsedSummary.success || !parsedStats.success) return;
  const summary = parsedSummary.data;
  const stats = parsedStats.data;
  const rows = await queryRows(tx, "pipeline/score/behaviour-figures.sql", shop, asOf, [...PREDICTION_KEYS]);
  const consent = summary.consent ?? { segments: {}, behaviours: {} };
  // As the full run's summary: a behaviour nobody has is absent.
  for (const key of PREDICTION_KEYS) {
    const r = rows.find((x) => x.k === key);
    delete summary.behaviours[key];
    delete consent.behaviours[key];
    delete stats.behaviours[key];
    if (!r) continue;
    summary.behaviours[key] = {
      customers: r.customers,
      revenue: r.revenue ?? "0",
      orders: Number(r.orders ?? 0),
      medianRecencyDays: r.median,
    };
    consent.behaviours[key] = { email: r.email, sms: r.sms };
    stats.behaviours[key] = r.customers;
  }
  summary.consent = consent;
  await tx.scoringRun.update({ where: { shop_id: { shop, id: runId } }, data: { summary, stats } });
}
