import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { logger } from "../logger.server";
import { adminClientForSession } from "../admin/admin-client.server";
import { getShopOverview } from "../models/shop.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const admin = adminClientForSession(session, logger);
  const overview = await getShopOverview({ db: db(), admin });
  return { ...overview, infoSyncedAt: overview.infoSyncedAt?.toISOString() ?? null };
};

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <BlockStack gap="100">
      <Text as="span" variant="bodySm" tone="subdued">
        {label}
      </Text>
      <Text as="span" variant="bodyMd" fontWeight="semibold">
        {value}
      </Text>
    </BlockStack>
  );
}

export default function Home() {
  const shop = useLoaderData<typeof loader>();
  return (
    <Page title="RFM segments">
      <TitleBar title="RFM segments" />
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <Text as="h2" variant="headingMd" id="shop-name">
                {shop.name}
              </Text>
              <Text as="p" variant="bodyMd">
                Every customer of your store will be scored on recency, frequency and monetary value and placed in a
                segment you can target with Shopify Email, customer segments, discounts and Flow.
              </Text>
              <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
                <Fact label="Store" value={shop.shop} />
                <Fact label="Currency" value={shop.currencyCode ?? "—"} />
                <Fact label="Time zone" value={shop.ianaTimezone ?? "—"} />
                <Fact label="Plan" value={shop.planDisplayName ?? "—"} />
              </InlineGrid>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
