import type { ReactNode } from "react";
import { useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Card, DataTable, Layout, Page, Text } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import { plural } from "../../i18n/plural";
import { CustomerDataBanner, isWithheld } from "../../components/CustomerDataBanner";
import { CustomerName } from "../../components/CustomerName";
import type { loadForecastPage } from "./forecast-page.server";
import { ClvBacktestCard } from "./ClvBacktestCard";

type Data = Awaited<ReturnType<typeof loadForecastPage>>;
type Run = NonNullable<Data["run"]>;

/** Segment sizes in 30 and 90 days, who is likely to move down, and the back-tests with their error. */
export function ForecastPage() {
  const data = useLoaderData<typeof loadForecastPage>();
  const { t } = useI18n();
  return (
    <Page title={t.forecast.title} backAction={{ content: t.common.back, url: "/app" }}>
      <Layout>
        <CustomerDataBanner access={data.customerData.access} redacted={data.customerData.redacted} />
        <Layout.Section>
          <Text as="p">{t.forecast.intro}</Text>
        </Layout.Section>
        {data.run === null ? (
          <Layout.Section>
            <Banner tone="info">
              <p id="forecast-none">{t.forecast.noRun}</p>
            </Banner>
          </Layout.Section>
        ) : (
          <ForecastSections run={data.run} minMonths={data.minMonths} data={data} />
        )}
      </Layout>
    </Page>
  );
}

/** One of the page's cards: a section with a heading over its table (and any sentences that go with it). */
function TableCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Layout.Section>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {title}
          </Text>
          {children}
        </BlockStack>
      </Card>
    </Layout.Section>
  );
}

function ForecastSections({ run, minMonths, data }: { run: Run; minMonths: number; data: Data }) {
  const { t, fmt, language } = useI18n();
  const months = (n: number) => plural(t.forecast.months, n, language, fmt.number(n));
  const whole = (v: number) => fmt.number(Math.round(v));
  return (
    <>
      <Layout.Section>
        {run.historyStart && (
          <Text as="p" tone="subdued" id="forecast-as-of">
            {fill(t.forecast.asOf, {
              date: fmt.date(run.asOf),
              start: fmt.date(run.historyStart),
              months: months(run.observedMonths),
            })}
          </Text>
        )}
      </Layout.Section>
      {!run.sufficient && (
        <Layout.Section>
          <Banner tone="info">
            <p id="forecast-not-enough">
              {run.historyStart === null
                ? fill(t.forecast.noHistory, { needed: months(minMonths) })
                : fill(t.forecast.notEnoughHistory, {
                    months: months(run.observedMonths),
                    start: fmt.date(run.historyStart),
                    needed: months(minMonths),
                  })}
            </p>
          </Banner>
        </Layout.Section>
      )}
      {run.sufficient && (
        <>
          <TableCard title={t.forecast.sizesTitle}>
            <div id="forecast-sizes">
              <DataTable
                columnContentTypes={["text", "numeric", "numeric", "numeric"]}
                headings={[t.forecast.colSegment, t.forecast.colNow, t.forecast.colIn30, t.forecast.colIn90]}
                rows={run.sizes
                  .filter((s) => s.now > 0 || s.in90 >= 0.5)
                  .map((s) => [s.name, whole(s.now), whole(s.in30), whole(s.in90)])}
              />
            </div>
          </TableCard>
          <TableCard title={t.forecast.movingDownTitle}>
            <Text as="p" tone="subdued">
              {t.forecast.movingDownIntro}
            </Text>
            <div id="forecast-moving-down">
              {run.movingDown.length === 0 ? (
                <Text as="p">{t.forecast.movingDownEmpty}</Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "numeric"]}
                  headings={[t.forecast.colCustomer, t.forecast.colSegment, t.forecast.colChance]}
                  rows={run.movingDown.map((c) => [
                    <CustomerName
                      key={c.customerId}
                      id={c.customerId}
                      name={c.name}
                      url={`/app/customers/${c.customerId}`}
                      withheld={isWithheld(data.customerData, "name")}
                    />,
                    c.segmentName,
                    fmt.percent(c.pDown),
                  ])}
                />
              )}
            </div>
          </TableCard>
          <TableCard title={t.forecast.segmentBacktestTitle}>
            {run.segmentBacktest.available ? (
              <>
                <Text as="p">
                  {fill(t.forecast.segmentBacktestIntro, {
                    from: fmt.date(run.segmentBacktest.from),
                    to: fmt.date(run.segmentBacktest.to),
                  })}
                </Text>
                <Text as="p" fontWeight="semibold" id="segment-backtest-error">
                  {fill(t.forecast.segmentBacktestError, { error: fmt.percent(run.segmentBacktest.weightedMape, 1) })}
                </Text>
                <div id="segment-backtest">
                  <DataTable
                    columnContentTypes={["text", "numeric", "numeric", "numeric"]}
                    headings={[
                      t.forecast.colSegment,
                      t.forecast.colMonthBefore,
                      t.forecast.colForecast,
                      t.forecast.colActual,
                    ]}
                    rows={run.segmentBacktest.rows
                      .filter((r) => r.start > 0 || r.actual > 0)
                      .map((r) => [r.name, whole(r.start), whole(r.predicted), whole(r.actual)])}
                  />
                </div>
              </>
            ) : (
              <Text as="p" id="segment-backtest-needed">
                {fill(t.forecast.segmentBacktestNeeded, {
                  needed: months(run.segmentBacktest.needed),
                  months: months(run.segmentBacktest.months),
                })}
              </Text>
            )}
          </TableCard>
        </>
      )}
      <Layout.Section>
        <ClvBacktestCard clv={run.clv} />
      </Layout.Section>
    </>
  );
}
