import { useState } from "react";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useReloadWhile } from "../../components/use-reload-while";
import { Banner, BlockStack, Button, Card, InlineStack, Layout, List, Modal, Page, Text } from "@shopify/polaris";
import { DiscountForm } from "../../components/DiscountForm";
import { fill, useI18n } from "../../i18n/use-i18n";
import { plural, type Plural } from "../../i18n/plural";
import type { loadShopifyPage, shopifyAction } from "./shopify-page.server";
import { SyncedSegments } from "./SyncedSegments";

/** What the app keeps in Shopify: segments, discount codes, customer tags. */
export function ShopifyPage() {
  const { segments, writeBackEnabled, tagPrefix, footprint, removal, waitingForEngagement } =
    useLoaderData<typeof loadShopifyPage>();
  const result = useActionData<typeof shopifyAction>();
  const submit = useSubmit();
  const busy = useNavigation().state !== "idle";
  const { t, fmt, language } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const removeTags = () => {
    setConfirming(false);
    submit({ intent: "remove-tags" }, { method: "post" });
  };
  const pending = removal !== null && removal.kind !== "done";
  // The removal runs as a job: the page looks again every two seconds until it has finished.
  useReloadWhile(pending);
  const count = (message: Plural, n: number) => plural(message, n, language, fmt.number(n));
  const removalText =
    removal === null
      ? null
      : removal.kind === "queued"
        ? fill(t.shopify.removalQueued, { at: fmt.dateTime(removal.at) })
        : removal.kind === "running"
          ? removal.error
            ? fill(t.shopify.removalRetrying, { error: removal.error })
            : t.shopify.removalRunning
          : fill(t.shopify.removalDone, {
              tags: count(t.shopify.countTags, removal.tags),
              customers: count(t.shopify.countCustomers, removal.customers),
              values: count(t.shopify.countMetafields, removal.metafields),
              segments: count(t.shopify.countSegments, removal.segments),
              at: fmt.dateTime(removal.at),
            });
  return (
    <Page title={t.shopify.title}>
      <Layout>
        {result?.tags && !removalText && (
          <Layout.Section>
            <Banner tone="success">
              <p id="tags-ok">{result.tags.kind === "removing" ? t.shopify.removing : t.shopify.restoring}</p>
            </Banner>
          </Layout.Section>
        )}
        {removal && removalText && (
          <Layout.Section>
            <Banner tone={removal.kind === "done" ? "success" : "info"}>
              <BlockStack gap="200">
                <p id="tags-removal">{removalText}</p>
                {removal.kind === "done" && removal.refused > 0 && (
                  <p>{count(t.shopify.removalRefused, removal.refused)}</p>
                )}
                {removal.kind === "done" && <p id="tags-undo">{t.shopify.removalUndo}</p>}
              </BlockStack>
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
              <InlineStack>
                {writeBackEnabled ? (
                  <Button tone="critical" loading={busy} onClick={() => setConfirming(true)} id="remove-tags">
                    {t.shopify.removeTags}
                  </Button>
                ) : (
                  <Button
                    loading={busy}
                    disabled={pending}
                    id="restore-tags"
                    onClick={() => submit({ intent: "restore-tags" }, { method: "post" })}
                  >
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
                  <List.Item>
                    {fill(t.shopify.confirmMetafields, { n: fmt.number(footprint.metafieldCustomers) })}
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
