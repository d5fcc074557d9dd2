import { useLoaderData } from "@remix-run/react";
import { Box, IndexTable, Link, Text } from "@shopify/polaris";
import { IntroTablePage } from "../../components/IntroTablePage";
import { fill, useI18n } from "../../i18n/use-i18n";
import { CustomerDataBanner, isWithheld } from "../../components/CustomerDataBanner";
import { CustomerEmail, CustomerName } from "../../components/CustomerName";
import { plural } from "../../i18n/plural";
import type { loadBrowsersPage } from "./browsers-page.server";

/** Customers who keep visiting the storefront and never ordered (web pixel visits). */
export function BrowsersPage() {
  const data = useLoaderData<typeof loadBrowsersPage>();
  const { t, fmt, language } = useI18n();
  return (
    <IntroTablePage
      title={t.browsers.title}
      tableId="browsers"
      banner={<CustomerDataBanner access={data.customerData.access} redacted={data.customerData.redacted} />}
      intro={
        <>
          <Text as="p">{fill(t.browsers.intro, { days: data.rule.minDays, window: data.rule.withinDays })}</Text>
          <Text as="p" tone="subdued" id="browsers-count">
            {plural(t.browsers.count, data.total, language, fmt.number(data.total))}
          </Text>
        </>
      }
    >
      <IndexTable
        resourceName={{ singular: t.common.customer, plural: t.common.customers }}
        itemCount={data.customers.length}
        selectable={false}
        emptyState={
          <Box padding="400">
            <Text as="p">{t.browsers.empty}</Text>
          </Box>
        }
        headings={[
          { title: t.browsers.colName },
          { title: t.browsers.colEmail },
          { title: t.browsers.colVisitDays, alignment: "end" },
          { title: t.browsers.colLastVisit, alignment: "end" },
          { title: t.common.openInShopify, hidden: true },
        ]}
      >
        {data.customers.map((c, i) => (
          <IndexTable.Row id={c.customerId} key={c.customerId} position={i}>
            <IndexTable.Cell>
              <CustomerName id={c.customerId} name={c.name} withheld={isWithheld(data.customerData, "name")} />
            </IndexTable.Cell>
            <IndexTable.Cell>
              <CustomerEmail email={c.email} withheld={isWithheld(data.customerData, "email")} />
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {fmt.number(c.visitDays)}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {c.lastVisitAt ? fmt.dateTime(c.lastVisitAt) : "—"}
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
    </IntroTablePage>
  );
}
