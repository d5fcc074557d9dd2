import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, Layout, Page, Text } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import type { loadInsightsPage } from "./insights-page.server";
import { FirstProductsSection } from "./FirstProductsSection";
import { CouponsSection } from "./CouponsSection";
import { ChannelsSection } from "./ChannelsSection";
import { CohortsSection } from "./CohortsSection";
import { useShareHeadings } from "./shared";

export type InsightsData = Awaited<ReturnType<typeof loadInsightsPage>>;

/** Where the best customers come from: first products, channels, coupons, cohorts (one stored row per full run). */
export function InsightsPage() {
  const data = useLoaderData<typeof loadInsightsPage>();
  const { t, fmt } = useI18n();
  const i = t.insights;
  const insights = data.insights;
  const shares = useShareHeadings(data);
  return (
    <Page title={i.title} backAction={{ content: t.common.back, url: "/app" }}>
      <Layout>
        {insights ? (
          <>
            <Layout.Section>
              <Text as="p" id="insights-as-of">
                {fill(i.asOf, {
                  date: insights.asOf ? fmt.date(insights.asOf) : "—",
                  customers: fmt.number(insights.shop.customers),
                  rate: fmt.percent(insights.shop.repeatRate),
                  median: fmt.money(insights.shop.medianNetSpend),
                })}
              </Text>
              <Text as="p" tone="subdued" id="insights-shares-help">
                {shares.help}
              </Text>
            </Layout.Section>
            <FirstProductsSection data={data} insights={insights} />
            <ChannelsSection data={data} insights={insights} />
            <CouponsSection data={data} insights={insights} />
            <CohortsSection data={data} insights={insights} />
          </>
        ) : (
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <Text as="p" id="insights-empty">
                  {i.noRunYet}
                </Text>
              </BlockStack>
            </Card>
          </Layout.Section>
        )}
      </Layout>
    </Page>
  );
}
