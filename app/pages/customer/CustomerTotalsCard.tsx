import { BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";
import { Fact } from "../../components/Fact";
import { useI18n } from "../../i18n/use-i18n";
import type { CustomerPageData } from "./customer-data";

/** Lifetime totals from the customer's aggregate: orders, spend, refunds, first and last order, usual gap. */
export function CustomerTotalsCard({ totals }: { totals: NonNullable<CustomerPageData["totals"]> }) {
  const { t: messages, fmt } = useI18n();
  const t = messages.customer;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t.totals}
        </Text>
        <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
          <Fact label={t.orders} value={fmt.number(totals.orders)} id="total-orders" />
          <Fact label={t.net} value={totals.netSpend} id="total-net" />
          <Fact label={t.gross} value={totals.grossSpend} />
          <Fact label={t.aov} value={totals.averageOrder} />
          <Fact label={t.refunds} value={`${totals.refunds} · ${totals.refunded}`} />
          <Fact label={t.first} value={fmt.day(totals.firstOrderAt)} />
          <Fact label={t.last} value={fmt.day(totals.lastOrderAt)} />
          <Fact label={t.gap} value={totals.daysBetweenOrders === null ? "—" : String(totals.daysBetweenOrders)} />
        </InlineGrid>
      </BlockStack>
    </Card>
  );
}
