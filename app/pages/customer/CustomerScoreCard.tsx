import { BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import { SinceText } from "./SinceText";
import { useI18n } from "../../i18n/use-i18n";
import { plural } from "../../i18n/plural";
import type { CustomerPageData } from "./customer-data";

/** The customer's R, F and M with the sentence that explains each, the segment they place it in, and the candidate. */
export function CustomerScoreCard({
  score,
  asOf,
}: {
  score: NonNullable<CustomerPageData["score"]>;
  asOf: CustomerPageData["asOf"];
}) {
  const { t: messages, fmt, language } = useI18n();
  const t = { ...messages.customer, none: messages.common.none };
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t.scores}
          </Text>
          <Text as="span" variant="headingLg" id="rfm-code">
            {score.code}
          </Text>
        </InlineStack>
        <BlockStack gap="100">
          {score.explanations.map((e, i) => (
            <Text as="p" key={e} id={`explain-${["r", "f", "m"][i]}`}>
              {e}
            </Text>
          ))}
        </BlockStack>
        <Text as="p" variant="bodySm" tone="subdued">
          {t.asOf} {asOf ? fmt.date(asOf) : "—"}
        </Text>
        <InlineStack gap="200" blockAlign="center">
          <Text as="span" fontWeight="semibold">
            {t.segment}:
          </Text>
          <Text as="span" variant="headingSm" id="segment-name">
            {score.segment.name}
          </Text>
          <span id="segment-since">
            <SinceText date={score.segment.since} kind={score.segment.sinceKind} />
          </span>
          {score.candidate && (
            <Text as="span" tone="subdued">
              · {t.moving} {score.candidate.name} (
              {plural(t.runs, score.candidate.runs, language, fmt.number(score.candidate.runs))})
            </Text>
          )}
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
