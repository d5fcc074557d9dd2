import { BlockStack, Card, InlineStack, Link, Text } from "@shopify/polaris";
import { useI18n } from "../../i18n/use-i18n";

/** The Shopify customer segments the app keeps in sync, each with its size and a link into the admin. */
export function SyncedSegments({
  segments,
}: {
  segments: { key: string; name: string; customers: number; adminUrl: string }[];
}) {
  const { t, fmt } = useI18n();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t.shopify.segmentsTitle}
        </Text>
        {segments.length === 0 ? (
          <Text as="p">{t.shopify.noSegments}</Text>
        ) : (
          <BlockStack gap="200">
            {segments.map((s) => (
              <InlineStack key={s.key} align="space-between" blockAlign="center">
                <Link url={s.adminUrl} target="_blank" id={`shopify-segment-${s.key}`}>
                  {s.name}
                </Link>
                <Text as="span" tone="subdued">
                  {fmt.number(s.customers)} {t.common.customers}
                </Text>
              </InlineStack>
            ))}
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}
