import { useEffect, useState } from "react";
import { BarChart, LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import { fill, useI18n } from "../../i18n/use-i18n";

interface Bucket {
  frequency: string;
  customers: number;
  actual: number;
  predicted: number;
}
interface Point {
  week: number;
  actual: number;
  predicted: number;
}

/** The charts measure their container: they draw in the browser only (the tables beside them render everywhere). */
function useMounted() {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted;
}

const round = (v: number) => Math.round(v * 1000) / 1000;

/** Predicted vs actual repeat orders per customer, by calibration repeat orders (the paper's per-frequency figure). */
export function BucketChart({ buckets }: { buckets: Bucket[] }) {
  const { t, fmt } = useI18n();
  const mounted = useMounted();
  const series = (name: string, pick: (b: Bucket) => number) => ({
    name,
    data: buckets.map((b) => ({ key: b.frequency, value: round(pick(b)) })),
  });
  return (
    <div style={{ height: 240 }} id="clv-bucket-chart">
      {mounted && (
        <PolarisVizProvider>
          <BarChart
            data={[
              series(t.forecast.seriesActual, (b) => b.actual),
              series(t.forecast.seriesPredicted, (b) => b.predicted),
            ]}
            tooltipOptions={{ valueFormatter: (v) => fmt.number(Number(v)) }}
          />
        </PolarisVizProvider>
      )}
    </div>
  );
}

/** Cumulative repeat orders since the cut-off, week by week (the paper's tracking figure). */
export function CumulativeChart({ points }: { points: Point[] }) {
  const { t, fmt } = useI18n();
  const mounted = useMounted();
  const series = (name: string, pick: (p: Point) => number) => ({
    name,
    data: points.map((p) => ({ key: fill(t.forecast.week, { n: p.week }), value: Math.round(pick(p)) })),
  });
  return (
    <div style={{ height: 240 }} id="clv-cumulative-chart">
      {mounted && (
        <PolarisVizProvider>
          <LineChart
            data={[
              series(t.forecast.seriesActual, (p) => p.actual),
              series(t.forecast.seriesPredicted, (p) => p.predicted),
            ]}
            tooltipOptions={{ valueFormatter: (v) => fmt.number(Number(v)) }}
          />
        </PolarisVizProvider>
      )}
    </div>
  );
}
