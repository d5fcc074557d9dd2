import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useI18n } from "../../i18n/use-i18n";
import type { loadCustomerPage } from "./customer-page.server";
import { CustomerScoreCard } from "./CustomerScoreCard";
import { CustomerTotalsCard } from "./CustomerTotalsCard";

/** One customer: scores explained, totals, segment history, the tags the app wrote. */
export function CustomerPage() {
  const v = useLoaderData<typeof loadCustomerPage>();
  const { t: messages, fmt } = useI18n();
  const t = { ...messages.customer, open: messages.common.openInShopify };
  const title = v.name ?? v.email ?? `#${v.id}`;
  return (
    <Page
      title={title}
      backAction={{ content: messages.common.back, url: "/app" }}
      secondaryActions={[{ content: t.open, url: v.adminUrl, target: "_blank" }]}
    >
      <Layout>
        {v.score && (
          <Layout.Section>
            <CustomerScoreCard score={v.score} asOf={v.asOf} />
          </Layout.Section>
        )}
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
                {v.history.map((h) => (
                  <li key={`${h.kind}-${h.segment}-${h.from}`}>
                    {h.name} · {fmt.date(h.from)} – {h.to ? fmt.date(h.to) : t.now}
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
