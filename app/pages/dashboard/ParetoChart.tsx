import { useEffect, useState } from "react";
import { BlockStack, Text } from "@shopify/polaris";
import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";
import { fill, useI18n } from "../../i18n/use-i18n";

const SHOWN = [1, 5, 10, 20, 50];

/** Share of revenue from the top 1 / 5 / 10 / 20 / 50 % of customers. */
export function ParetoChart({ points }: { points: { percent: number; share: number }[] }) {
  const { t, fmt } = useI18n();
  // The chart measures its container: it draws in the browser only; the sentence and list render everywhere.
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const shown = points.filter((p) => SHOWN.includes(p.percent));
  const share = (p: number) => fmt.percent(points.find((x) => x.percent === p)?.share ?? 0);
  const label = (p: number) => fill(t.home.paretoTop, { p: fmt.percent(p / 100) });
  return (
    <BlockStack gap="200">
      <Text as="p" id="pareto-sentence">
        {fill(t.home.paretoSentence, { p20: fmt.percent(0.2), s20: share(20), p1: fmt.percent(0.01), s1: share(1) })}
      </Text>
      <div style={{ height: 220 }} id="pareto-chart">
        {mounted && (
          <PolarisVizProvider>
            <BarChart
              data={[
                {
                  name: t.home.paretoSeries,
                  data: shown.map((p) => ({ key: label(p.percent), value: Math.round(p.share * 1000) / 10 })),
                },
              ]}
              showLegend={false}
              yAxisOptions={{ labelFormatter: (v) => fmt.percent(Number(v) / 100) }}
              tooltipOptions={{ valueFormatter: (v) => fmt.percent(Number(v) / 100, 1) }}
            />
          </PolarisVizProvider>
        )}
      </div>
    </BlockStack>
  );
}
