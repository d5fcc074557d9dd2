import { BlockStack, Card, Link, Text } from "@shopify/polaris";
import { DiscountForm } from "../../components/DiscountForm";
import { useI18n } from "../../i18n/use-i18n";
import type { DiscountResult } from "./discount-form.server";
import type { SegmentPageData } from "./segment-data";

/** The Shopify segment this one is synced to, and a discount code for its customers only. */
export function SegmentInShopify({ data, result }: { data: SegmentPageData; result: DiscountResult | undefined }) {
  const { t } = useI18n();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t.segment.inShopify}
        </Text>
        {data.shopifySegment ? (
          <Link url={data.shopifySegment.url} target="_blank" id="shopify-segment-link">
            {t.segment.shopifySegment}: {data.shopifySegment.name}
          </Link>
        ) : (
          <Text as="p" tone="subdued" id="shopify-segment-missing">
            {/* Why, in one place: under the disabled discount button below. */}
            {data.discountBlocked ? t.shopify.notInShopify : t.segment.notSynced}
          </Text>
        )}
        <Text as="h3" variant="headingSm">
          {t.discount.title}
        </Text>
        <DiscountForm segments={[{ key: data.key, name: data.name }]} result={result} blocked={data.discountBlocked} />
      </BlockStack>
    </Card>
  );
}
