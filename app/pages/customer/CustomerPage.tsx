import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import { CustomerDataBanner, isWithheld } from "../../components/CustomerDataBanner";
import { customerLabel } from "../../components/CustomerName";
import type { loadCustomerPage } from "./customer-page.server";
import { CustomerScoreCard } from "./CustomerScoreCard";
import { CustomerTotalsCard } from "./CustomerTotalsCard";
import { CustomerOrdersCard } from "./CustomerOrdersCard";
import { CustomerBehavioursCard } from "./CustomerBehavioursCard";
import { CustomerPredictionCard } from "./CustomerPredictionCard";

/** One customer: who, scores explained and segment, behaviours, orders, totals, segment history, the app's tags. */
export function CustomerPage() {
  const v = useLoaderData<typeof loadCustomerPage>();
  const { t: messages, fmt } = useI18n();
  const t = { ...messages.customer, open: messages.common.openInShopify };
  // A person's name as the title; never the id (it goes small, in the subtitle).
  const title = customerLabel(v.name, isWithheld(v.customerData, "name"), messages.common);
  const email = v.email ?? (isWithheld(v.customerData, "email") ? messages.common.emailWithheld : null);
  const subtitle = [email, fill(messages.common.customerId, { id: v.id })].filter(Boolean).join(" · ");
  const segmentStays = v.history.filter((h) => h.kind === "rfm");
  const earlierBehaviours = v.history.filter((h) => h.kind !== "rfm" && h.to !== null);
  return (
    <Page
      title={title}
      subtitle={subtitle}
      backAction={{ content: messages.common.back, url: "/app" }}
      secondaryActions={[{ content: t.open, url: v.adminUrl, target: "_blank" }]}
    >
      <Layout>
        <CustomerDataBanner access={v.customerData.access} redacted={v.customerData.redacted} />
        {v.score && (
          <Layout.Section>
            <CustomerScoreCard score={v.score} asOf={v.asOf} />
          </Layout.Section>
        )}
        {v.prediction && (
          <Layout.Section>
            <CustomerPredictionCard prediction={v.prediction} />
          </Layout.Section>
        )}
        {v.score && (
          <Layout.Section>
            <CustomerBehavioursCard behaviours={v.score.behaviours} earlier={earlierBehaviours} />
          </Layout.Section>
        )}
        <Layout.Section>
          <CustomerOrdersCard orders={v.orders} />
        </Layout.Section>
        {v.totals && (
          <Layout.Section>
            <CustomerTotalsCard totals={v.totals} />
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t.history}
              </Text>
              <ul id="segment-history">
                {segmentStays.map((h) => (
                  <li key={`${h.kind}-${h.segment}-${h.from}`}>
                    {h.name} · {fmt.date(h.from)}
                    {h.fromKind === "recorded" ? "" : ` (${t.historyStart})`} – {h.to ? fmt.date(h.to) : t.now}
                  </li>
                ))}
              </ul>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t.tags}
              </Text>
              <InlineStack gap="200">
                {v.appTags.length === 0 ? (
                  <Text as="span">{t.noTags}</Text>
                ) : (
                  v.appTags.map((tag) => <Badge key={tag}>{tag}</Badge>)
                )}
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
