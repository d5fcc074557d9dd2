import { BlockStack, Box, Card, DataTable, InlineStack, Layout, Link, Text } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import type { InsightsData } from "./InsightsPage";
import type { InsightDim } from "../../domain/insights/members";
import {
  InsightCsvButton,
  MembersLink,
  RateWithInterval,
  useShareHeadings,
  VsShopBadge,
  type Insights,
} from "./shared";

type Row = Insights["makesLoyal"][number] | Insights["vendors"][number];

/** A group table against the shop average; `name` says how a group's key reads (default: as stored). */
export function GroupTable({
  data,
  rows,
  label,
  id,
  name,
  dim,
}: {
  data: InsightsData;
  rows: Row[];
  label: string;
  id: string;
  /** Which insight the rows are groups of: each count links to its customers. */
  dim: InsightDim;
  name?: (key: string) => string;
}) {
  const { t, fmt } = useI18n();
  const i = t.insights;
  const shares = useShareHeadings(data);
  const shop = data.insights?.shop;
  return (
    <div id={id}>
      <DataTable
        columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric"]}
        headings={[label, i.colCustomers, `${i.colRepeat} (${i.colInterval})`, shares.loyal, shares.lost, i.colMedian]}
        rows={rows.map((g) => [
          <BlockStack gap="100" key={g.key}>
            {"adminUrl" in g ? (
              <Link url={g.adminUrl} target="_blank">
                {fill(i.product, { id: g.key })}
              </Link>
            ) : (
              <Text as="span">{name ? name(g.key) : g.key}</Text>
            )}
            <InlineStack>
              <VsShopBadge vs={g.vsShop} />
            </InlineStack>
          </BlockStack>,
          <MembersLink key="customers" dim={dim} groupKey={g.key} customers={g.customers} />,
          <RateWithInterval key="rate" rate={g.repeatRate} low={g.repeatLow} high={g.repeatHigh} />,
          fmt.percent(g.loyalShare),
          fmt.percent(g.lostShare),
          fmt.money(g.medianNetSpend),
        ])}
        totals={
          shop
            ? [
                i.shopAverage,
                fmt.number(shop.customers),
                `${fmt.percent(shop.repeatRate)}`,
                fmt.percent(shop.loyalShare),
                fmt.percent(shop.lostShare),
                fmt.money(shop.medianNetSpend),
              ]
            : undefined
        }
        showTotalsInFooter
        totalsName={{ singular: i.shopAverage, plural: i.shopAverage }}
      />
    </div>
  );
}

/** First products: the two ranked lists and the vendor table, each against the shop average. */
export function FirstProductsSection({ data, insights }: { data: InsightsData; insights: Insights }) {
  const { t } = useI18n();
  const i = t.insights;
  return (
    <Layout.Section>
      <Card>
        <BlockStack gap="400">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              {i.firstTitle}
            </Text>
            <InsightCsvButton kind="first-products" />
          </InlineStack>
          <Text as="p">{fill(i.firstIntro, { min: insights.minSupport, hidden: insights.productsBelowSupport })}</Text>
          {insights.makesLoyal.length === 0 ? (
            <Text as="p" tone="subdued">
              {fill(i.none, { min: insights.minSupport })}
            </Text>
          ) : (
            <>
              <Box>
                <Text as="h3" variant="headingSm">
                  {i.makesLoyalTitle}
                </Text>
                <Text as="p" tone="subdued">
                  {i.makesLoyalHelp}
                </Text>
                <GroupTable
                  data={data}
                  rows={insights.makesLoyal}
                  label={i.colProduct}
                  id="makes-loyal"
                  dim="product"
                />
              </Box>
              <Box>
                <Text as="h3" variant="headingSm">
                  {i.noReturnTitle}
                </Text>
                <Text as="p" tone="subdued">
                  {i.noReturnHelp}
                </Text>
                <GroupTable data={data} rows={insights.noReturn} label={i.colProduct} id="no-return" dim="product" />
              </Box>
            </>
          )}
          <Box>
            <Text as="h3" variant="headingSm">
              {i.vendorsTitle}
            </Text>
            <GroupTable data={data} rows={insights.vendors} label={i.colVendor} id="vendors" dim="vendor" />
          </Box>
          <Box>
            <Text as="h3" variant="headingSm">
              {i.productTypesTitle}
            </Text>
            {insights.productTypes ? (
              <GroupTable
                data={data}
                rows={insights.productTypes}
                label={i.colProductType}
                id="product-types"
                dim="product_type"
              />
            ) : (
              <Text as="p" tone="subdued">
                {i.productTypesLater}
              </Text>
            )}
          </Box>
        </BlockStack>
      </Card>
    </Layout.Section>
  );
}
