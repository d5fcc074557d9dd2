import type { ReactNode } from "react";
import { BlockStack, Box, Card, Layout, Page } from "@shopify/polaris";
import { useI18n } from "../i18n/use-i18n";

/**
 * A page of one table under a few lines of introduction, back to the dashboard: the personas and the browsers.
 * `banner` goes above the card (a Layout child); the table is wrapped in a div with `tableId` for tests to find.
 */
export function IntroTablePage({
  title,
  banner,
  intro,
  tableId,
  children,
}: {
  title: string;
  banner?: ReactNode;
  intro: ReactNode;
  tableId: string;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Page title={title} backAction={{ content: t.common.back, url: "/app" }}>
      <Layout>
        {banner}
        <Layout.Section>
          <Card padding="0">
            <Box padding="400">
              <BlockStack gap="200">{intro}</BlockStack>
            </Box>
            <div id={tableId}>{children}</div>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
