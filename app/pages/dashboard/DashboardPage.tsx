import { useEffect, useState } from "react";
import { useLoaderData } from "@remix-run/react";
import { useReloadWhile } from "../../components/use-reload-while";
import { BlockStack, Card, Layout, Page, Text } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import type { dashboardPageData } from "./dashboard-page.server";
import { StatusLine } from "./StatusLine";
import { NoRunYet } from "./NoRunYet";
import { SegmentsOverview } from "./SegmentsOverview";
import { PredictedRevenueCard } from "./PredictedRevenueCard";
import { RfGrid } from "./RfGrid";
import { ParetoChart } from "./ParetoChart";
import { MovementCard } from "./MovementCard";
import { CustomerDataBanner } from "../../components/CustomerDataBanner";
import { InboxDeadLetters } from "./InboxDeadLetters";
import { HeadlineFigures } from "./HeadlineFigures";

/**
 * The home page, answer first: one compact status line (it expands, by itself while nothing is scored yet or a
 * phase failed), then headline figures, the segments, the R × F grid, movement and revenue concentration.
 */
export function DashboardPage() {
  const shop = useLoaderData<typeof dashboardPageData>();
  const d = shop.dashboard;
  const { t, fmt } = useI18n();
  const syncing =
    d.sync.current === null || ["pending", "running", "ingesting", "aggregating"].includes(d.sync.current.status);
  const busy =
    syncing ||
    d.scoring.state === "running" ||
    d.writeBack.state === "running" ||
    d.writeBack.state === "queued" ||
    (d.run === null && d.hasOrders);
  // While anything runs, follow it live: progress bars, counts and, at the end, the figures.
  useReloadWhile(busy);
  // ETAs count down between loads from the server's clock (no hydration mismatch on first paint).
  const [now, setNow] = useState(shop.now);
  useEffect(() => setNow(Date.now()), [shop.now]);

  const noOrdersYet = !d.hasOrders && d.sync.lastCompleted !== null;
  return (
    <Page
      title={t.home.title}
      primaryAction={
        d.nextAction
          ? {
              content:
                d.nextAction.kind === "win_back"
                  ? fill(t.home.nextWinBack, { name: d.nextAction.name, revenue: fmt.money(d.nextAction.revenue) })
                  : fill(t.home.nextReward, { name: d.nextAction.name }),
              url: d.nextAction.url,
              id: "next-action",
            }
          : undefined
      }
    >
      <Layout>
        <CustomerDataBanner access={shop.customerDataAccess} redacted={shop.customerDataRedacted} />
        <InboxDeadLetters summary={shop.inboxDeadLetters} />
        <Layout.Section>
          <StatusLine shop={shop} d={d} now={now} />
        </Layout.Section>
        {d.run === null ? (
          <Layout.Section>
            <NoRunYet noOrdersYet={noOrdersYet} />
          </Layout.Section>
        ) : (
          <>
            {d.headline && (
              <Layout.Section>
                <HeadlineFigures d={d} headline={d.headline} run={d.run} />
              </Layout.Section>
            )}
            <Layout.Section>
              <SegmentsOverview d={d} run={d.run} />
            </Layout.Section>
            <Layout.Section>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {t.home.gridTitle}
                  </Text>
                  <RfGrid cells={d.grid} scale={d.scale} emptyFrequency={d.emptyFrequency} />
                </BlockStack>
              </Card>
            </Layout.Section>
            <Layout.Section>
              <PredictedRevenueCard predicted={shop.predicted} />
            </Layout.Section>
            <Layout.Section>
              <MovementCard d={d} run={d.run} />
            </Layout.Section>
            <Layout.Section>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {t.home.paretoTitle}
                  </Text>
                  <ParetoChart points={d.pareto} />
                </BlockStack>
              </Card>
            </Layout.Section>
          </>
        )}
      </Layout>
    </Page>
  );
}
