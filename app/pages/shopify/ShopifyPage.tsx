import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { DiscountForm } from "../../components/DiscountForm";
import { useI18n } from "../../i18n/use-i18n";
import type { loadShopifyPage, shopifyAction } from "./shopify-page.server";
import { SyncedSegments } from "./SyncedSegments";

/** What the app keeps in Shopify: segments, discount codes, customer tags. */
export function ShopifyPage() {
  const { segments, writeBackEnabled } = useLoaderData<typeof loadShopifyPage>();
  const result = useActionData<typeof shopifyAction>();
  const submit = useSubmit();
  const busy = useNavigation().state !== "idle";
  const { t } = useI18n();
  return (
    <Page title={t.shopify.title}>
      <Layout>
        {result?.tags && (
          <Layout.Section>
            <Banner tone="success">
              <p id="tags-ok">{result.tags === "removing" ? t.shopify.removing : t.shopify.restoring}</p>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <SyncedSegments segments={segments} />
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t.discount.titleAny}
              </Text>
              <DiscountForm segments={segments} result={result?.tags ? null : result} />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t.shopify.tagsTitle}
              </Text>
              <Text as="p">{writeBackEnabled ? t.shopify.tagsOn : t.shopify.tagsOff}</Text>
              <InlineStack>
                {writeBackEnabled ? (
                  <Button
                    tone="critical"
                    loading={busy}
                    onClick={() => submit({ intent: "remove-tags" }, { method: "post" })}
                  >
                    {t.shopify.removeTags}
                  </Button>
                ) : (
                  <Button loading={busy} onClick={() => submit({ intent: "restore-tags" }, { method: "post" })}>
                    {t.shopify.restoreTags}
                  </Button>
                )}
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
