import { Badge, InlineStack, Link, Text } from "@shopify/polaris";
import type { InsightDim } from "../../domain/insights/members";
import { fill, useI18n } from "../../i18n/use-i18n";
import { DownloadButton } from "../../components/DownloadButton";
import type { InsightsData } from "./InsightsPage";

export type Insights = NonNullable<InsightsData["insights"]>;

/** Save one insight's CSV (the export route reads the stored run). */
export function InsightCsvButton({ kind }: { kind: "first-products" | "channels" | "coupons" | "cohorts" }) {
  const { t } = useI18n();
  return (
    <DownloadButton
      url={`/app/insights/export/${kind}`}
      fallbackName={`rfm-insights-${kind}.csv`}
      label={t.insights.exportCsv}
      busyLabel={t.insights.exporting}
      id={`export-${kind}`}
      size="slim"
    />
  );
}

/** "42% (35–49%)": the repeat rate and its Wilson interval. */
export function RateWithInterval({ rate, low, high }: { rate: number; low: number; high: number }) {
  const { fmt } = useI18n();
  return (
    <Text as="span" numeric>
      {fmt.percent(rate)}{" "}
      <Text as="span" tone="subdued">
        ({fmt.percent(low)}–{fmt.percent(high)})
      </Text>
    </Text>
  );
}

/** Above or below the shop average only when the whole interval is. */
export function VsShopBadge({ vs }: { vs: -1 | 0 | 1 }) {
  const { t } = useI18n();
  if (vs === 1) return <Badge tone="success">{t.insights.above}</Badge>;
  if (vs === -1) return <Badge tone="critical">{t.insights.below}</Badge>;
  return null;
}

/** Headings for the loyal / lost share columns, and the sentence naming their segments in the merchant's names. */
export function useShareHeadings(data: InsightsData) {
  const { t, language } = useI18n();
  const list = new Intl.ListFormat(language, { type: "disjunction" });
  const names = (keys: readonly string[]) => list.format(keys.map((k) => data.names[k] ?? k));
  return {
    loyal: t.insights.colLoyal,
    lost: t.insights.colLost,
    help: fill(t.insights.sharesHelp, { loyal: names(data.loyalKeys), lost: names(data.lostKeys) }),
  };
}

/** Today's segment mix of a group, each segment linked to its page, largest first. */
export function SegmentMix({
  data,
  segments,
  total,
}: {
  data: InsightsData;
  segments: Record<string, number>;
  total: number;
}) {
  const { fmt } = useI18n();
  const entries = data.segmentOrder
    .map((k) => [k, segments[k] ?? 0] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  return (
    <InlineStack gap="300" wrap>
      {entries.map(([k, n]) => (
        <Text as="span" key={k}>
          <Link url={`/app/segments/${k}`} removeUnderline>
            {data.names[k] ?? k}
          </Link>{" "}
          <Text as="span" tone="subdued" numeric>
            {fmt.percent(total > 0 ? n / total : 0)}
          </Text>
        </Text>
      ))}
    </InlineStack>
  );
}

/** The in-app list of the customers behind an insight row. */
export const membersUrl = (dim: InsightDim, key: string) =>
  `/app/customers?${new URLSearchParams({ insight: dim, key }).toString()}`;

/** An insight row's customer count, linked to the list of exactly those customers. */
export function MembersLink({ dim, groupKey, customers }: { dim: InsightDim; groupKey: string; customers: number }) {
  const { t, fmt } = useI18n();
  const n = fmt.number(customers);
  return (
    <Link url={membersUrl(dim, groupKey)} accessibilityLabel={fill(t.insights.members.linkLabel, { n })}>
      <span data-members={`${dim}:${groupKey}`}>{n}</span>
    </Link>
  );
}
