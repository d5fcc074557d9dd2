import { useMemo, useState, type CSSProperties } from "react";
import { BlockStack, Button, ButtonGroup, Card, InlineStack, Layout, Text } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import type { InsightsData } from "./InsightsPage";
import { InsightCsvButton, MembersLink, SegmentMix, type Insights } from "./shared";

type Metric = "spend" | "repeat";

/** 0.06 (a little) to 0.9 (the most in the table): the cell's background opacity. */
const shade = (v: number, max: number) => (max > 0 ? 0.06 + 0.84 * (v / max) : 0);

// Both figures sit in one grid cell and the hidden one is only invisible, so every cell keeps its size and a toggle
// repaints the table without laying it out again. No ">" in this CSS: React escapes it in server-rendered <style>.
const HEAT_CSS = `
#cohort-heatmap td.heat { background: rgba(0, 110, 82, var(--a)); color: var(--ink); }
#cohort-heatmap td.heat div { display: grid; }
#cohort-heatmap td.heat span { grid-area: 1 / 1; }
#cohort-heatmap[data-metric=spend] td.heat { --a: var(--spend); --ink: var(--spend-ink); }
#cohort-heatmap[data-metric=repeat] td.heat { --a: var(--repeat); --ink: var(--repeat-ink); }
#cohort-heatmap[data-metric=spend] .repeat, #cohort-heatmap[data-metric=repeat] .spend { visibility: hidden; }
`;

const cellStyle = { padding: "4px 6px", textAlign: "right" as const, whiteSpace: "nowrap" as const, fontSize: 12 };

/** The cohort heat map: one row per first-order month, one shaded cell per month since, and each cohort's mix today. */
export function CohortsSection({ data, insights }: { data: InsightsData; insights: Insights }) {
  const { t, fmt } = useI18n();
  const i = t.insights;
  const [metric, setMetric] = useState<Metric>("spend");
  const { cohorts } = insights.cohorts;
  // Both figures are rendered once; the toggle only flips the table's data-metric (CSS picks shade and text), so a
  // click re-renders no cell (a thousand cells re-rendered cost half a second of input delay on a busy machine).
  const maxSpend = Math.max(0, ...cohorts.flatMap((c) => c.cells.map((cell) => cell.cumulativeNetPerCustomer)));
  const maxRepeat = Math.max(0, ...cohorts.flatMap((c) => c.cells.map((cell) => cell.repeatRate)));
  const columns = Math.max(0, ...cohorts.map((c) => c.cells.length));
  const [newest] = [...cohorts].reverse();
  const rows = useMemo(
    () =>
      cohorts.map((c) => (
        <tr key={c.month} data-cohort={c.month}>
          <th style={{ ...cellStyle, textAlign: "left" }}>{c.month}</th>
          <td style={cellStyle}>
            <MembersLink dim="cohort" groupKey={c.month} customers={c.customers} />
          </td>
          {c.cells.map((cell) => {
            const spend = shade(cell.cumulativeNetPerCustomer, maxSpend);
            const repeat = shade(cell.repeatRate, maxRepeat);
            const vars: CSSProperties & Record<`--${string}`, string> = {
              ...cellStyle,
              "--spend": spend.toFixed(3),
              "--repeat": repeat.toFixed(3),
              "--spend-ink": spend > 0.55 ? "#fff" : "inherit",
              "--repeat-ink": repeat > 0.55 ? "#fff" : "inherit",
            };
            return (
              <td key={cell.offset} className="heat" style={vars}>
                <div>
                  <span className="spend">{fmt.moneyShort(cell.cumulativeNetPerCustomer)}</span>
                  <span className="repeat">{fmt.percent(cell.repeatRate)}</span>
                </div>
              </td>
            );
          })}
        </tr>
      )),
    [cohorts, fmt, maxSpend, maxRepeat],
  );
  // A toggle re-renders only the buttons and the table's data-metric: header, rows and segment mix are memoized.
  const head = useMemo(
    () => (
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
    ),
    [columns, i],
  );
  const mix = useMemo(
    () =>
      newest ? (
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
      ) : null,
    [cohorts, data, i, newest],
  );
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
              <style>{HEAT_CSS}</style>
              <table id="cohort-heatmap" data-metric={metric} style={{ borderCollapse: "collapse" }}>
                {head}
                <tbody>{rows}</tbody>
              </table>
            </div>
          )}
          {mix}
        </BlockStack>
      </Card>
    </Layout.Section>
  );
}
