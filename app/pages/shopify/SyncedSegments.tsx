import { BlockStack, Card, InlineStack, Link, Text } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";

/** The Shopify customer segments the app keeps in sync (RFM order), each with its size and a link into the admin. */
export function SyncedSegments({
  segments,
  waitingForEngagement,
}: {
  segments: { key: string; name: string; customers: number; adminUrl: string }[];
  /** The lost-but-engaged name when it has no Shopify segment for want of engagement data. */
  waitingForEngagement: string | null;
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
        {waitingForEngagement && segments.length > 0 && (
          <Text as="p" tone="subdued" id="shopify-segment-waiting">
            {fill(t.shopify.noEngagementSegment, { name: waitingForEngagement })}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
