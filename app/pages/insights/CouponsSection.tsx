import { BlockStack, Box, Card, DataTable, InlineStack, Layout, Link, Text } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import type { MixedGroupStats } from "../../domain/insights/shapes";
import type { InsightsData } from "./InsightsPage";
import { COUPON_KEYS } from "../../domain/insights/members";
import { InsightCsvButton, MembersLink, RateWithInterval, SegmentMix, useShareHeadings, type Insights } from "./shared";

function CouponTable({
  data,
  rows,
  groupLabel,
  repeatLabel,
  id,
}: {
  data: InsightsData;
  /** Label, coupon group key (InsightMember), figures. */
  rows: [string, string, MixedGroupStats][];
  groupLabel: string;
  repeatLabel: string;
  id: string;
}) {
  const { t, fmt } = useI18n();
  const i = t.insights;
  const shares = useShareHeadings(data);
  return (
    <BlockStack gap="300">
      <div id={id}>
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric"]}
          headings={[
            groupLabel,
            i.colCustomers,
            `${repeatLabel} (${i.colInterval})`,
            shares.loyal,
            shares.lost,
            i.colMedian,
          ]}
          rows={rows.map(([label, key, g]) => [
            label,
            <MembersLink key="customers" dim="coupon" groupKey={key} customers={g.customers} />,
            <RateWithInterval key="rate" rate={g.repeatRate} low={g.repeatLow} high={g.repeatHigh} />,
            fmt.percent(g.loyalShare),
            fmt.percent(g.lostShare),
            fmt.money(g.medianNetSpend),
          ])}
        />
      </div>
      {rows.map(([label, , g]) => (
        <BlockStack gap="100" key={label}>
          <Text as="p" variant="bodySm" fontWeight="semibold">
            {label} · {i.segmentMix}
          </Text>
          <SegmentMix data={data} segments={g.segments} total={g.customers} />
        </BlockStack>
      ))}
    </BlockStack>
  );
}

/** Coupon-acquired vs full-price customers, and whether a second code brings them back. */
export function CouponsSection({ data, insights }: { data: InsightsData; insights: Insights }) {
  const { t, fmt } = useI18n();
  const i = t.insights;
  const { firstOrder, secondOrder } = insights.coupons;
  return (
    <Layout.Section>
      <Card>
        <BlockStack gap="400">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              {i.couponTitle}
            </Text>
            <InlineStack gap="200" blockAlign="center">
              <Link url="/app/segments/coupon_shopper">{data.couponShopperName}</Link>
              <InsightCsvButton kind="coupons" />
            </InlineStack>
          </InlineStack>
          <Text as="p">{i.couponIntro}</Text>
          <CouponTable
            data={data}
            id="coupon-first"
            groupLabel={i.colGroup}
            repeatLabel={i.colRepeat}
            rows={[
              [i.coupon, COUPON_KEYS.firstCoupon, firstOrder.coupon],
              [i.fullPrice, COUPON_KEYS.firstFullPrice, firstOrder.fullPrice],
            ]}
          />
          <Box paddingBlockStart="200">
            <BlockStack gap="300">
              <Text as="h3" variant="headingSm">
                {i.secondTitle}
              </Text>
              <Text as="p" id="coupon-second-intro">
                {fill(i.secondIntro, {
                  buyers: fmt.number(secondOrder.firstCouponBuyers),
                  oneTime: fmt.number(secondOrder.oneTime),
                })}
              </Text>
              <CouponTable
                data={data}
                id="coupon-second"
                groupLabel={i.colSecond}
                repeatLabel={i.colThird}
                rows={[
                  [i.coupon, COUPON_KEYS.secondCoupon, secondOrder.coupon],
                  [i.fullPrice, COUPON_KEYS.secondFullPrice, secondOrder.fullPrice],
                ]}
              />
            </BlockStack>
          </Box>
        </BlockStack>
      </Card>
    </Layout.Section>
  );
}
