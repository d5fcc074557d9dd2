import { useLoaderData } from "@remix-run/react";
import { BlockStack, Box, Card, IndexTable, InlineStack, Layout, Link, Page, Pagination, Text } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import { CustomerEmail, CustomerName } from "../../components/CustomerName";
import { CustomerDataBanner, isWithheld } from "../../components/CustomerDataBanner";
import { DownloadButton } from "../../components/DownloadButton";
import { splitChannel } from "../../domain/insights/channels";
import type { loadInsightCustomersPage } from "./insight-customers.server";

/** The customers behind one insight row, a page at a time, with the Shopify segment query where one comes close. */
export function InsightCustomersPage() {
  const data = useLoaderData<typeof loadInsightCustomersPage>();
  const { t, fmt } = useI18n();
  const m = t.insights.members;
  const group = new URLSearchParams({ insight: data.dim, key: data.key });
  const pageUrl = (cursor: "after" | "before", id: string) => `?${group.toString()}&${cursor}=${id}`;
  const keyName = () => {
    if (data.dim === "coupon") return m.couponGroup[data.key] ?? data.key;
    if (data.dim !== "channel") return data.key;
    const { tactic, source } = splitChannel(data.key);
    return tactic === "none" ? source : `${t.insights.tactic[tactic] ?? tactic} · ${source}`;
  };
  const namesWithheld = isWithheld(data.customerData, "name");
  const emailsWithheld = isWithheld(data.customerData, "email");
  return (
    <Page
      title={fill(m.title[data.dim], { group: keyName() })}
      backAction={{ content: m.back, url: "/app/insights" }}
      primaryAction={
        <DownloadButton
          url={`/app/customers/export?${group.toString()}`}
          fallbackName={`rfm-insight-${data.dim}.csv`}
          label={m.exportCsv}
          busyLabel={t.insights.exporting}
          id="insight-customers-export"
        />
      }
    >
      <Layout>
        <CustomerDataBanner access={data.customerData.access} redacted={data.customerData.redacted} />
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="p" id="insight-customers-count">
                {fill(m.count, { n: fmt.number(data.customers) })}
              </Text>
              {data.productUrl && (
                <Link url={data.productUrl} target="_blank">
                  {m.openProduct}
                </Link>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {m.shopifyTitle}
              </Text>
              {data.shopifyQueries ? (
                <div id="insight-shopify-query">
                  <BlockStack gap="200">
                    <Text as="p">{m.shopifyProduct}</Text>
                    <Text as="p">{m.shopifyEverBought}</Text>
                    <Box background="bg-surface-secondary" padding="200" borderRadius="200">
                      <code>{data.shopifyQueries.everBought}</code>
                    </Box>
                    <Text as="p">{m.shopifyOnlyOrder}</Text>
                    <Box background="bg-surface-secondary" padding="200" borderRadius="200">
                      <code>{data.shopifyQueries.onlyOrder}</code>
                    </Box>
                  </BlockStack>
                </div>
              ) : (
                <Text as="p" id="insight-shopify-none">
                  {m.shopifyNone}
                </Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <div id="insight-customers">
              <IndexTable
                resourceName={{ singular: t.common.customer, plural: t.common.customers }}
                itemCount={data.rows.length}
                selectable={false}
                emptyState={
                  <Box padding="400">
                    <Text as="p">{m.none}</Text>
                  </Box>
                }
                headings={[
                  { title: m.colName },
                  { title: m.colEmail },
                  { title: m.colSegment },
                  { title: m.colOrders, alignment: "end" },
                  { title: m.colSpend, alignment: "end" },
                  { title: "" },
                ]}
              >
                {data.rows.map((c, i) => (
                  <IndexTable.Row id={c.customerId} key={c.customerId} position={i}>
                    <IndexTable.Cell>
                      <CustomerName
                        id={c.customerId}
                        name={c.name}
                        url={`/app/customers/${c.customerId}`}
                        withheld={namesWithheld}
                      />
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <CustomerEmail email={c.email} withheld={emailsWithheld} />
                    </IndexTable.Cell>
                    <IndexTable.Cell>{c.segment ?? m.unscored}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {c.orders === null ? "—" : fmt.number(c.orders)}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {c.netSpend === null ? "—" : fmt.money(c.netSpend)}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Link url={c.adminUrl} target="_blank">
                        {t.common.openInShopify}
                      </Link>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            </div>
            <Box padding="400">
              <InlineStack align="center">
                <Pagination
                  hasPrevious={data.previous !== null}
                  previousURL={data.previous ? pageUrl("before", data.previous) : undefined}
                  hasNext={data.next !== null}
                  nextURL={data.next ? pageUrl("after", data.next) : undefined}
                />
              </InlineStack>
            </Box>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
