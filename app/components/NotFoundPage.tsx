import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { BlockStack, Button, Card, Layout, Page, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useI18n } from "../i18n/use-i18n";

export type Missing = "page" | "segment" | "customer";

/** What the merchant was looking for is not there: a page saying so in their language, and the way back. */
export function NotFoundPage({ missing }: { missing: Missing }) {
  const { t } = useI18n();
  const { title, help } =
    missing === "segment"
      ? { title: t.segment.notFound, help: t.segment.notFoundHelp }
      : missing === "customer"
        ? { title: t.customer.notFound, help: t.customer.notFoundHelp }
        : { title: t.common.notFoundTitle, help: t.common.notFoundPage };
  return (
    <Page title={title} backAction={{ content: t.common.back, url: "/app" }}>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300" inlineAlign="start">
              <Text as="p" id="not-found">
                {help}
              </Text>
              <Button url="/app" variant="primary" id="not-found-back">
                {t.common.backToOverview}
              </Button>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

/**
 * A page route's ErrorBoundary: a 404 from its loader renders inside the app
 * layout (nav, Polaris, language) as a NotFoundPage; anything else is handled
 * as the layout's boundary handles it (Shopify's library renders its own
 * responses and rethrows the rest).
 */
export function notFoundBoundary(missing: Missing) {
  return function ErrorBoundary() {
    const error = useRouteError();
    if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage missing={missing} />;
    return boundary.error(error);
  };
}
