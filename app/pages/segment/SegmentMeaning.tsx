import { BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";
import { Fact } from "../../components/Fact";
import { useI18n } from "../../i18n/use-i18n";
import type { SegmentPageData } from "./segment-data";

/** What the segment means, its rule as the run applied it, and its key figures. */
export function SegmentMeaning({ data }: { data: SegmentPageData }) {
  const { t, fmt } = useI18n();
  const f = data.figures;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t.segment.meaning}
        </Text>
        {data.description && <Text as="p">{data.description}</Text>}
        <Text as="h3" variant="headingSm">
          {t.segment.rule}
        </Text>
        <BlockStack gap="100">
          {data.rule.map((line) => (
            <Text as="p" key={line} id="segment-rule">
              {line}
            </Text>
          ))}
        </BlockStack>
        {f && (
          <InlineGrid columns={{ xs: 2, md: 5 }} gap="300">
            <Fact label={t.home.colCustomers} value={fmt.number(f.customers)} id="figure-customers" />
            <Fact label={t.home.colShareCustomers} value={fmt.percent(f.share, 1)} />
            <Fact label={t.home.colShareRevenue} value={fmt.percent(f.revenueShare, 1)} />
            <Fact label={t.home.colAov} value={f.aov === null ? "—" : fmt.money(f.aov)} />
            <Fact
              label={t.home.colRecency}
              value={f.medianRecencyDays === null ? "—" : fmt.number(Math.round(f.medianRecencyDays))}
            />
          </InlineGrid>
        )}
      </BlockStack>
    </Card>
  );
}
