import { Badge, BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import { useI18n } from "../../i18n/use-i18n";
import type { CustomerPageData } from "./customer-data";
import { SinceText } from "./SinceText";

/** Behaviours, apart from the segment (a customer has one segment and any number of behaviours), and earlier ones. */
export function CustomerBehavioursCard({
  behaviours,
  earlier,
}: {
  behaviours: NonNullable<CustomerPageData["score"]>["behaviours"];
  earlier: CustomerPageData["history"];
}) {
  const { t: messages, fmt } = useI18n();
  const t = messages.customer;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t.behavioursTitle}
        </Text>
        <Text as="p" tone="subdued" variant="bodySm">
          {t.behavioursHelp}
        </Text>
        <div id="customer-behaviours">
          {behaviours.length === 0 ? (
            <Text as="p">{messages.common.none}</Text>
          ) : (
            <BlockStack gap="150">
              {behaviours.map((b) => (
                <InlineStack key={b.key} gap="200" blockAlign="center">
                  <Badge tone="info">{b.name}</Badge>
                  <SinceText date={b.since} kind={b.sinceKind} />
                </InlineStack>
              ))}
            </BlockStack>
          )}
        </div>
        {earlier.length > 0 && (
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              {t.behaviourHistory}
            </Text>
            <ul id="behaviour-history">
              {earlier.map((h) => (
                <li key={`${h.segment}-${h.from}`}>
                  {h.name} · {fmt.date(h.from)}
                  {h.fromKind === "recorded" ? "" : ` (${t.historyStart})`} – {h.to ? fmt.date(h.to) : t.now}
                </li>
              ))}
            </ul>
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}
