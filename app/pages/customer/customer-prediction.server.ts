import type { Db } from "../../platform/db.server";
import { historyFacts } from "../../domain/clv/explain";
import { predictionReasonOf } from "../../domain/clv/sufficiency";
import { epochDay, localDate } from "../../domain/rfm/dates";
import type { Formatters } from "../../i18n/format";
import {
  explainExpectedOrders,
  explainNoPredictions,
  explainPAlive,
  explainPredictedValue,
  ordersFigure,
} from "../../i18n/clv/explain";
import { latestPredictionRun } from "../../pipeline/predict/predictions.server";

export type PredictionKey = "pAlive" | "expectedOrders365" | "predictedValue12m";

/** The customer's predictions as the customer page and the admin block show them: figures, each with its sentence. */
export type CustomerPredictionView =
  | { kind: "shown"; facts: { key: PredictionKey; value: string; explanation: string }[] }
  | { kind: "none"; sentence: string };

export async function customerPrediction(
  db: Db,
  shop: string,
  customerId: bigint,
  aggregate: { orderCount: number; firstOrderAt: Date; lastOrderAt: Date },
  context: { asOf: string; timezone: string; language: "en" | "nl"; fmt: Formatters },
): Promise<CustomerPredictionView> {
  const { language, fmt } = context;
  const [run, row] = await Promise.all([
    latestPredictionRun(db, shop, { sufficient: true, reason: true, annualDiscountRate: true }),
    db.customerPrediction.findUnique({ where: { shop_customerId: { shop, customerId } } }),
  ]);
  if (!run) return { kind: "none", sentence: explainNoPredictions("not_run", language) };
  if (!run.sufficient)
    return { kind: "none", sentence: explainNoPredictions(predictionReasonOf(run.reason), language) };
  // A customer whose first order came after the run's date has no prediction yet.
  if (!row) return { kind: "none", sentence: explainNoPredictions("not_run", language) };
  const day = (at: Date) => epochDay(localDate(at, context.timezone));
  const facts = historyFacts(
    aggregate.orderCount,
    day(aggregate.firstOrderAt),
    day(aggregate.lastOrderAt),
    epochDay(context.asOf),
  );
  const shown: { key: PredictionKey; value: string; explanation: string }[] = [
    { key: "pAlive", value: fmt.percent(row.pAlive), explanation: explainPAlive(row.pAlive, facts, language, fmt) },
    {
      key: "expectedOrders365",
      value: ordersFigure(row.expectedOrders365, fmt),
      explanation: explainExpectedOrders(row.expectedOrders365, row.pAlive, language, fmt),
    },
  ];
  if (row.predictedValue12m !== null && row.expectedAverageValue !== null)
    shown.push({
      key: "predictedValue12m",
      value: fmt.money(row.predictedValue12m),
      explanation: explainPredictedValue(
        row.predictedValue12m,
        row.expectedOrders365,
        row.expectedAverageValue,
        // The rate these values were discounted at, not today's setting (it applies from the next run).
        run.annualDiscountRate,
        language,
        fmt,
      ),
    });
  return { kind: "shown", facts: shown };
}
