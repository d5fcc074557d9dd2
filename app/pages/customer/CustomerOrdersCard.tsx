import { Badge, BlockStack, Box, Card, IndexTable, InlineStack, Link, Text } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import type { CustomerPageData } from "./customer-data";

/** The customer's recent orders, each linked to the order in the Shopify admin. */
export function CustomerOrdersCard({ orders }: { orders: CustomerPageData["orders"] }) {
  const { t: messages, fmt } = useI18n();
  const t = messages.customer;
  return (
    <Card padding="0">
      <Box padding="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {t.ordersTitle}
          </Text>
          {orders.total > orders.list.length && (
            <Text as="p" tone="subdued" variant="bodySm">
              {fill(t.ordersShown, { n: fmt.number(orders.list.length), total: fmt.number(orders.total) })}
            </Text>
          )}
        </BlockStack>
      </Box>
      <div id="customer-orders">
        <IndexTable
          resourceName={{ singular: t.colOrder, plural: t.ordersTitle }}
          itemCount={orders.list.length}
          selectable={false}
          emptyState={
            <Box padding="400">
              <Text as="p">{t.noOrders}</Text>
            </Box>
          }
          headings={[
            { title: t.colDate },
            { title: t.colOrder },
            { title: t.colTotal, alignment: "end" },
            { title: t.colRefunded, alignment: "end" },
            { title: t.colDiscount },
          ]}
        >
          {orders.list.map((o, i) => (
            <IndexTable.Row id={o.id} key={o.id} position={i}>
              <IndexTable.Cell>{fmt.day(o.processedAt)}</IndexTable.Cell>
              <IndexTable.Cell>
                <InlineStack gap="200" blockAlign="center" wrap={false}>
                  <Link url={o.adminUrl} target="_blank" removeUnderline>
                    {o.name ?? fill(messages.common.customerId, { id: o.id })}
                  </Link>
                  {o.cancelled && <Badge>{t.cancelled}</Badge>}
                </InlineStack>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {fmt.money(o.total)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {Number(o.refunded) > 0 ? fmt.money(o.refunded) : "—"}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>{o.discountCodes.length > 0 ? o.discountCodes.join(", ") : "—"}</IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      </div>
    </Card>
  );
}
