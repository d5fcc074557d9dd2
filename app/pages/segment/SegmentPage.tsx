import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BlockStack, Box, Card, Layout, Link, List, Page, Text } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import type { loadSegmentPage, segmentAction } from "./segment-view.server";
import { ExportButton } from "./ExportButton";
import { SegmentMeaning } from "./SegmentMeaning";
import { SegmentInShopify } from "./SegmentInShopify";
import { CustomerList } from "./CustomerList";
import { SegmentConsent } from "./SegmentConsent";
import { CustomerDataBanner } from "../../components/CustomerDataBanner";

/** One segment or behaviour: meaning, recommended actions, Shopify segment and discount, its customers. */
export function SegmentPage() {
  const data = useLoaderData<typeof loadSegmentPage>();
  const result = useActionData<typeof segmentAction>();
  const { t, fmt } = useI18n();
  const busy = useNavigation().state === "loading";
  const f = data.figures;
  return (
    <Page
      title={data.name}
      backAction={{ content: t.common.back, url: "/app" }}
      primaryAction={<ExportButton segmentKey={data.key} subscribed={data.query.subscribed} />}
    >
      <Layout>
        <CustomerDataBanner access={data.customerData.access} redacted={data.customerData.redacted} />
        <Layout.Section>
          <SegmentMeaning data={data} />
        </Layout.Section>
        <Layout.Section>
          <SegmentConsent data={data} />
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t.segment.actions}
              </Text>
              <div id="segment-actions">
                <List>
                  {data.actions.map((a) => (
                    <List.Item key={a.text}>
                      {a.text}
                      {a.link && (
                        <>
                          {" "}
                          <Link url={a.link.url} target="_blank">
                            {t.segment.toolLink[a.link.label]}
                          </Link>
                        </>
                      )}
                    </List.Item>
                  ))}
                </List>
              </div>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <SegmentInShopify data={data} result={result} />
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <div style={{ opacity: busy ? 0.6 : 1 }}>
              <Box paddingInline="400" paddingBlockStart="400">
                <Text as="h2" variant="headingMd">
                  {t.segment.customersTitle}
                  {data.asOf
                    ? ` · ${fill(t.home.scoringIdle, { date: fmt.date(data.asOf), customers: fmt.number(f?.customers ?? 0) })}`
                    : ""}
                </Text>
              </Box>
              <CustomerList data={data} />
            </div>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
