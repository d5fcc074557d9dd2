import { useLoaderData } from "@remix-run/react";
import { BlockStack, Box, Card, IndexTable, Layout, Page, Text } from "@shopify/polaris";
import { DownloadButton } from "../../components/DownloadButton";
import { useI18n } from "../../i18n/use-i18n";
import { plural } from "../../i18n/plural";
import { CustomerDataBanner, isWithheld } from "../../components/CustomerDataBanner";
import { CustomerName } from "../../components/CustomerName";
import type { loadDataRequestsPage } from "./data-requests-page.server";

/** Saves one request's JSON export. */
function RequestDownload({ webhookId }: { webhookId: string }) {
  const { t } = useI18n();
  return (
    <DownloadButton
      url={`/app/data-requests/${encodeURIComponent(webhookId)}/download`}
      fallbackName="data-request.json"
      label={t.dataRequests.download}
      busyLabel={t.dataRequests.downloading}
      size="slim"
    />
  );
}

/** customers/data_request: what each customer asked for, and the JSON the merchant sends them. */
export function DataRequestsPage() {
  const data = useLoaderData<typeof loadDataRequestsPage>();
  const { t, fmt, language } = useI18n();
  const namesWithheld = isWithheld(data.customerData, "name");
  return (
    <Page title={t.dataRequests.title} backAction={{ content: t.common.back, url: "/app" }}>
      <Layout>
        <CustomerDataBanner access={data.customerData.access} redacted={data.customerData.redacted} />
        <Layout.Section>
          <Card padding="0">
            <Box padding="400">
              <BlockStack gap="200">
                <Text as="p">{t.dataRequests.intro}</Text>
              </BlockStack>
            </Box>
            <div id="data-requests">
              <IndexTable
                resourceName={{ singular: t.common.customer, plural: t.common.customers }}
                itemCount={data.requests.length}
                selectable={false}
                emptyState={
                  <Box padding="400">
                    <Text as="p">{t.dataRequests.empty}</Text>
                  </Box>
                }
                headings={[
                  { title: t.dataRequests.colReceived },
                  { title: t.dataRequests.colCustomer },
                  { title: t.dataRequests.colOrders, alignment: "end" },
                  { title: t.dataRequests.colStatus },
                  { title: t.dataRequests.download, hidden: true },
                ]}
              >
                {data.requests.map((r, i) => (
                  <IndexTable.Row id={r.webhookId} key={r.webhookId} position={i}>
                    <IndexTable.Cell>{fmt.dateTime(r.receivedAt)}</IndexTable.Cell>
                    <IndexTable.Cell>
                      {r.customerId && r.adminUrl ? (
                        <BlockStack gap="050">
                          <CustomerName id={r.customerId} name={r.name} url={r.adminUrl} withheld={namesWithheld} />
                          {r.email && (
                            <Text as="span" variant="bodySm" tone="subdued">
                              {r.email}
                            </Text>
                          )}
                        </BlockStack>
                      ) : (
                        "—"
                      )}
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {fmt.number(r.ordersRequested)}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      {r.rowsHeld > 0
                        ? plural(t.dataRequests.statusHeld, r.rowsHeld, language, fmt.number(r.rowsHeld))
                        : t.dataRequests.statusNone}
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <RequestDownload webhookId={r.webhookId} />
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            </div>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
