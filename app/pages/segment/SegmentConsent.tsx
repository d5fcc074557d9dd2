import { BlockStack, Card, Text } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import type { SegmentPageData } from "./segment-data";

/** How many of the segment's customers may be mailed or texted (consent SUBSCRIBED), as of the scoring date. */
export function SegmentConsent({ data }: { data: SegmentPageData }) {
  const { t, fmt } = useI18n();
  const c = data.consent;
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {t.segment.consentTitle}
        </Text>
        {c ? (
          <div id="segment-consent">
            <BlockStack gap="100">
              <Text as="p" id="consent-email">
                {fill(t.segment.consentEmail, { n: fmt.number(c.email), share: fmt.percent(c.emailShare, 1) })}
              </Text>
              <Text as="p" id="consent-sms">
                {fill(t.segment.consentSms, { n: fmt.number(c.sms), share: fmt.percent(c.smsShare, 1) })}
              </Text>
            </BlockStack>
          </div>
        ) : (
          <Text as="p">{t.segment.consentNotCounted}</Text>
        )}
        <Text as="p" variant="bodySm" tone="subdued">
          {t.segment.consentHelp}
        </Text>
      </BlockStack>
    </Card>
  );
}
