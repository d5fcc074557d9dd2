import { Banner, BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import type { PredictedRevenue } from "./predicted-revenue.server";

/** Predicted revenue over the next 12 months, per segment, from the latest prediction run. */
export function PredictedRevenueCard({ predicted }: { predicted: PredictedRevenue }) {
  const { t, fmt } = useI18n();
  return (
    <Card>
      <BlockStack gap="300" id="predicted-revenue">
        <Text as="h2" variant="headingMd">
          {t.home.predictedTitle}
        </Text>
        {predicted.kind === "none" ? (
          <Text as="p">{predicted.sentence}</Text>
        ) : (
          <>
            <Text as="p">{fill(t.home.predictedTotal, { value: fmt.moneyShort(predicted.total) })}</Text>
            {predicted.spendWarning && <Banner tone="warning">{t.home.predictedSpendWarning}</Banner>}
            <DataTable
              columnContentTypes={["text", "numeric", "numeric"]}
              headings={[t.home.predictedSegment, t.home.colCustomers, t.home.predictedValue]}
              rows={predicted.segments.map((s) => [s.name, fmt.number(s.customers), fmt.moneyShort(s.value)])}
            />
          </>
        )}
      </BlockStack>
    </Card>
  );
}
