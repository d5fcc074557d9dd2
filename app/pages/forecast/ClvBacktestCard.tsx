import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import { plural } from "../../i18n/plural";
import { MIN_REPEAT_CUSTOMERS } from "../../domain/forecast/clv-backtest";
import type { ClvBacktestJson } from "../../pipeline/forecast/forecast-shapes";
import { BucketChart, CumulativeChart } from "./BacktestCharts";

/** The purchase model's back-test: the error in words and numbers, then the paper's two figures. */
export function ClvBacktestCard({ clv }: { clv: ClvBacktestJson }) {
  const { t, fmt, language } = useI18n();
  const cutoff = fmt.date(clv.cutoff);
  const dec = (v: number) => fmt.number(Math.round(v * 100) / 100);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t.forecast.clvTitle}
        </Text>
        <Text as="p">
          {fill(t.forecast.clvIntro, {
            cutoff,
            months: plural(t.forecast.months, clv.holdoutMonths, language, fmt.number(clv.holdoutMonths)),
          })}
        </Text>
        {clv.sufficient ? (
          <>
            <Text as="p" fontWeight="semibold" id="clv-error">
              {fill(t.forecast.clvError, {
                predicted: fmt.number(Math.round(clv.totalPredicted)),
                actual: fmt.number(clv.totalActual),
                error: `${clv.totalErrorPct >= 0 ? "+" : ""}${fmt.percent(clv.totalErrorPct, 1)}`,
                mae: dec(clv.bucketMae),
              })}
            </Text>
            <Text as="h3" variant="headingSm">
              {t.forecast.bucketTitle}
            </Text>
            <BucketChart buckets={clv.buckets} />
            <div id="clv-buckets">
              <DataTable
                columnContentTypes={["text", "numeric", "numeric", "numeric"]}
                headings={[
                  fill(t.forecast.colBucket, { cutoff }),
                  t.forecast.colCustomers,
                  t.forecast.colActual,
                  t.forecast.colPredicted,
                ]}
                rows={clv.buckets.map((b) => [b.frequency, fmt.number(b.customers), dec(b.actual), dec(b.predicted)])}
              />
            </div>
            <Text as="h3" variant="headingSm">
              {fill(t.forecast.cumulativeTitle, { cutoff })}
            </Text>
            <CumulativeChart points={clv.cumulative} />
          </>
        ) : (
          <Text as="p" id="clv-insufficient">
            {clv.reason === "too_few_repeat_customers"
              ? fill(t.forecast.clvTooFew, {
                  n: fmt.number(clv.repeatCustomers),
                  cutoff,
                  needed: fmt.number(MIN_REPEAT_CUSTOMERS),
                })
              : fill(clv.reason === "no_orders" ? t.forecast.clvNoOrders : t.forecast.clvNotConverged, { cutoff })}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
