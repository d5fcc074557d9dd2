import { BlockStack, InlineGrid, Text } from "@shopify/polaris";
import { Fact } from "../../components/Fact";
import { useI18n } from "../../i18n/use-i18n";
import type { DashboardPageData } from "./dashboard-data";

/** The shop as Shopify describes it: domain, currency, time zone, plan (the status line names the shop). */
export function ShopFacts({ shop }: { shop: DashboardPageData }) {
  const { t } = useI18n();
  return (
    <BlockStack gap="400">
      <Text as="p" variant="bodyMd">
        {t.home.intro}
      </Text>
      <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
        <Fact label={t.home.store} value={shop.shop} />
        <Fact label={t.home.currency} value={shop.currencyCode ?? "—"} />
        <Fact label={t.home.timeZone} value={shop.ianaTimezone ?? "—"} />
        <Fact label={t.home.plan} value={shop.planDisplayName ?? "—"} />
      </InlineGrid>
    </BlockStack>
  );
}
