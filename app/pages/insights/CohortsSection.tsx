import { useState } from "react";
import { BlockStack, Button, ButtonGroup, Card, InlineStack, Layout, Text } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import type { InsightsData } from "./InsightsPage";
import { InsightCsvButton, SegmentMix, type Insights } from "./shared";

type Metric = "spend" | "repeat";

const cellStyle = { padding: "4px 6px", textAlign: "right" as const, whiteSpace: "nowrap" as const, fontSize: 12 };

/** The cohort heat map: one row per first-order month, one shaded cell per month since, and each cohort's mix today. */
export function CohortsSection({ data, insights }: { data: InsightsData; insights: Insights }) {
  const { t, fmt } = useI18n();
  const i = t.insights;
  const [metric, setMetric] = useState<Metric>("spend");
  const { cohorts } = insights.cohorts;
  const value = (cell: { cumulativeNetPerCustomer: number; repeatRate: number }) =>
    metric === "spend" ? cell.cumulativeNetPerCustomer : cell.repeatRate;
  const max = Math.max(0, ...cohorts.flatMap((c) => c.cells.map(value)));
  const columns = Math.max(0, ...cohorts.map((c) => c.cells.length));
  const [newest] = [...cohorts].reverse();
  return (
    <Layout.Section>
      <Card>
        <BlockStack gap="400">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              {i.cohortTitle}
            </Text>
            <InsightCsvButton kind="cohorts" />
          </InlineStack>
          <Text as="p">{i.cohortIntro}</Text>
          <ButtonGroup variant="segmented">
            <Button pressed={metric === "spend"} onClick={() => setMetric("spend")} id="cohort-spend">
              {i.showSpend}
            </Button>
            <Button pressed={metric === "repeat"} onClick={() => setMetric("repeat")} id="cohort-repeat">
              {i.showRepeat}
            </Button>
          </ButtonGroup>
          {cohorts.length === 0 ? (
            <Text as="p">{i.cohortEmpty}</Text>
          ) : (
            <div style={{ overflowX: "auto" }}>
              <table id="cohort-heatmap" style={{ borderCollapse: "collapse" }}>
                <thead>
                  <tr>
                    <th style={{ ...cellStyle, textAlign: "left" }}>{i.colCohort}</th>
                    <th style={cellStyle}>{i.colCustomers}</th>
                    {Array.from({ length: columns }, (_, n) => (
                      <th key={n} style={cellStyle}>
                        {fill(i.monthShort, { n })}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {cohorts.map((c) => (
                    <tr key={c.month} data-cohort={c.month}>
                      <th style={{ ...cellStyle, textAlign: "left" }}>{c.month}</th>
                      <td style={cellStyle}>{fmt.number(c.customers)}</td>
                      {c.cells.map((cell) => {
                        const v = value(cell);
                        const alpha = max > 0 ? 0.06 + 0.84 * (v / max) : 0;
                        return (
                          <td
                            key={cell.offset}
                            style={{
                              ...cellStyle,
                              background: `rgba(0, 110, 82, ${alpha.toFixed(3)})`,
                              color: alpha > 0.55 ? "#fff" : "inherit",
                            }}
                          >
                            {metric === "spend" ? fmt.moneyShort(v) : fmt.percent(v)}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {newest ? (
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                {i.segmentMix}
              </Text>
              {[...cohorts]
                .reverse()
                .slice(0, 12)
                .map((c) => (
                  <InlineStack key={c.month} gap="300" blockAlign="start" wrap={false}>
                    <div style={{ minWidth: 64 }}>
                      <Text as="span" fontWeight="semibold">
                        {c.month}
                      </Text>
                    </div>
                    <SegmentMix data={data} segments={c.segments} total={c.customers} />
                  </InlineStack>
                ))}
            </BlockStack>
          ) : null}
        </BlockStack>
      </Card>
    </Layout.Section>
  );
}
