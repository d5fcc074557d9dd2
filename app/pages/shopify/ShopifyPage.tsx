import { useState } from "react";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Layout, List, Modal, Page, Text } from "@shopify/polaris";
import { DiscountForm } from "../../components/DiscountForm";
import { fill, useI18n } from "../../i18n/use-i18n";
import type { loadShopifyPage, shopifyAction } from "./shopify-page.server";
import { SyncedSegments } from "./SyncedSegments";

/** What the app keeps in Shopify: segments, discount codes, customer tags. */
export function ShopifyPage() {
  const { segments, writeBackEnabled, tagPrefix, footprint, waitingForEngagement } =
    useLoaderData<typeof loadShopifyPage>();
  const result = useActionData<typeof shopifyAction>();
  const submit = useSubmit();
  const busy = useNavigation().state !== "idle";
  const { t, fmt } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const removeTags = () => {
    setConfirming(false);
    submit({ intent: "remove-tags" }, { method: "post" });
  };
  const removal = !writeBackEnabled
    ? footprint.tagCustomers > 0 || footprint.segments > 0
      ? fill(t.shopify.removalPending, {
          tags: fmt.number(footprint.tagCustomers),
          segments: fmt.number(footprint.segments),
        })
      : footprint.lastWriteBackAt
        ? fill(t.shopify.removalDone, { at: fmt.dateTime(footprint.lastWriteBackAt) })
        : null
    : null;
  return (
    <Page title={t.shopify.title}>
      <Layout>
        {result?.tags && (
          <Layout.Section>
            <Banner tone="success">
              <p id="tags-ok">
                {result.tags.kind === "removing"
                  ? fill(t.shopify.removingCounts, {
                      tags: fmt.number(result.tags.customers),
                      segments: fmt.number(result.tags.segments),
                    })
                  : t.shopify.restoring}
              </p>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <SyncedSegments segments={segments} waitingForEngagement={waitingForEngagement} />
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t.discount.titleAny}
              </Text>
              <DiscountForm segments={segments} result={result?.discount} />
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
              {removal && (
                <Text as="p" tone="subdued" id="tags-removal">
                  {removal}
                </Text>
              )}
              <InlineStack>
                {writeBackEnabled ? (
                  <Button tone="critical" loading={busy} onClick={() => setConfirming(true)} id="remove-tags">
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
      <Modal
        open={confirming}
        onClose={() => setConfirming(false)}
        title={t.shopify.confirmTitle}
        primaryAction={{
          content: t.shopify.confirm,
          destructive: true,
          onAction: removeTags,
          id: "remove-tags-confirm",
        }}
        secondaryActions={[{ content: t.shopify.cancel, onAction: () => setConfirming(false) }]}
      >
        <Modal.Section>
          <BlockStack gap="300">
            <div id="remove-tags-modal">
              <BlockStack gap="200">
                <Text as="p">{t.shopify.confirmRemoves}</Text>
                <List>
                  <List.Item>
                    {fill(t.shopify.confirmTags, { prefix: tagPrefix, n: fmt.number(footprint.tagCustomers) })}
                  </List.Item>
                  <List.Item>{fill(t.shopify.confirmSegments, { n: fmt.number(footprint.segments) })}</List.Item>
                </List>
                <Text as="p">{t.shopify.confirmKept}</Text>
                <Text as="p">{t.shopify.confirmUndo}</Text>
              </BlockStack>
            </div>
          </BlockStack>
        </Modal.Section>
      </Modal>
    </Page>
  );
}
