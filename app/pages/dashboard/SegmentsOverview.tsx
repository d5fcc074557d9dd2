import { BlockStack, Card, Text } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import { SegmentTable } from "./SegmentTable";
import type { DashboardData } from "./dashboard-data";

/** The latest run's segments and behaviours: size, shares, order value, recency, change, trend, consent. */
export function SegmentsOverview({ d, run }: { d: DashboardData; run: NonNullable<DashboardData["run"]> }) {
  const { t, fmt } = useI18n();
  return (
    <Card padding="0">
      <BlockStack gap="200">
        <div style={{ padding: "16px 16px 0" }}>
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              {t.home.overviewTitle}
            </Text>
            <Text as="p" variant="bodySm" tone="subdued" id="segments-as-of">
              {fill(t.home.overviewAsOf, {
                date: fmt.date(run.asOf),
                customers: fmt.number(run.customers),
                revenue: fmt.money(run.revenue),
              })}
            </Text>
            {!d.historyCoversMovement && d.movementFrom && (
              <Text as="p" variant="bodySm" tone="subdued">
                {fill(t.home.noHistory, { date: fmt.date(d.historyStart ?? run.asOf) })}
              </Text>
            )}
          </BlockStack>
        </div>
        <SegmentTable
          rows={d.segments}
          id="segment"
          title={t.home.colSegment}
          changeSince={d.historyCoversMovement ? d.movementFrom : null}
        />
        {d.behaviours.length > 0 && (
          <SegmentTable
            rows={d.behaviours}
            id="behaviour"
            title={t.home.behavioursTitle}
            changeSince={d.historyCoversMovement ? d.movementFrom : null}
          />
        )}
        {d.segments.some((r) => r.consent !== null) && (
          <div style={{ padding: "0 16px 16px" }}>
            <Text as="p" variant="bodySm" tone="subdued" id="consent-help">
              {t.home.consentHelp}
            </Text>
          </div>
        )}
      </BlockStack>
    </Card>
  );
}
