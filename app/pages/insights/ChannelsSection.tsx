import { BlockStack, Box, Card, InlineStack, Layout, Text } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import { splitChannel } from "../../domain/insights/channels";
import type { InsightsData } from "./InsightsPage";
import { GroupTable } from "./FirstProductsSection";
import { InsightCsvButton, type Insights } from "./shared";

/** Acquisition channel and UTM campaign of the first order's first visit, and how much of it Shopify could tell. */
export function ChannelsSection({ data, insights }: { data: InsightsData; insights: Insights }) {
  const { t, fmt } = useI18n();
  const i = t.insights;
  const channels = insights.channels;
  // "seo:Google" → "Search · Google"; a visit without a tactic (direct, a plain referral) reads as its source.
  const channelName = (key: string) => {
    const { tactic, source } = splitChannel(key);
    return tactic === "none" ? source : `${i.tactic[tactic] ?? tactic} · ${source}`;
  };
  return (
    <Layout.Section>
      <div id="channels-section">
        <Card>
          <BlockStack gap="400">
            <InlineStack align="space-between" blockAlign="center">
              <Text as="h2" variant="headingMd">
                {i.channelsTitle}
              </Text>
              {channels ? <InsightCsvButton kind="channels" /> : null}
            </InlineStack>
            {channels ? (
              <>
                <Text as="p">
                  {fill(i.channelsIntro, {
                    min: channels.minSupport,
                    hidden: channels.channelsBelowSupport,
                    hiddenCampaigns: channels.campaignsBelowSupport,
                  })}
                </Text>
                <Text as="p" tone="subdued" id="journey-coverage">
                  {fill(i.channelsCoverage, {
                    customers: fmt.number(channels.coverage.customers),
                    attributed: fmt.number(channels.coverage.attributed),
                    pending: fmt.number(channels.coverage.pending),
                    none: fmt.number(channels.coverage.none),
                    noVisit: fmt.number(channels.coverage.noVisit),
                    unknown: fmt.number(channels.coverage.unknown),
                  })}
                </Text>
                <Box>
                  <Text as="h3" variant="headingSm">
                    {i.channelsByTitle}
                  </Text>
                  {channels.channels.length > 0 ? (
                    <GroupTable
                      data={data}
                      rows={channels.channels}
                      label={i.colChannel}
                      id="channels"
                      name={channelName}
                      dim="channel"
                    />
                  ) : (
                    <Text as="p" tone="subdued">
                      {fill(i.channelsNone, { min: channels.minSupport })}
                    </Text>
                  )}
                </Box>
                <Box>
                  <Text as="h3" variant="headingSm">
                    {i.campaignsTitle}
                  </Text>
                  <GroupTable
                    data={data}
                    rows={channels.campaigns}
                    label={i.colCampaign}
                    id="campaigns"
                    dim="campaign"
                  />
                </Box>
              </>
            ) : (
              <Text as="p" tone="subdued" id="channels-later">
                {i.channelsLater}
              </Text>
            )}
          </BlockStack>
        </Card>
      </div>
    </Layout.Section>
  );
}
