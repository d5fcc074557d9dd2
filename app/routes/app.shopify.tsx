import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Layout, Link, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { z } from "zod";
import { authenticate } from "../shopify/shopify.server";
import { db } from "../platform/db.server";
import { logger } from "../platform/logger.server";
import { adminClientForSession } from "../shopify/admin-client.server";
import { segmentSummary } from "../pages/shopify/segment-summary.server";
import { loadRfmSettings, saveRfmSettings } from "../settings/settings.server";
import {
  DiscountForm as DiscountFormInput,
  submitDiscountForm,
  type DiscountResult,
} from "../pages/segment/discount-form.server";
import { segmentAdminUrl } from "../shopify/admin-urls";
import { DiscountForm } from "../components/DiscountForm";
import { resolveLocale } from "../i18n/locale.server";
import { useI18n } from "../i18n/use-i18n";
import { enqueueShopJob, JOB } from "../pipeline/jobs.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { locale } = await resolveLocale(db(), session.shop, request);
  const [summary, synced, settings] = await Promise.all([
    segmentSummary(db(), session.shop, locale),
    db().shopifySegment.findMany({ where: { shop: session.shop }, orderBy: { key: "asc" } }),
    loadRfmSettings(db(), session.shop),
  ]);
  const sizes = new Map([...summary.segments, ...summary.behaviours].map((s) => [s.key, s.customers]));
  return {
    writeBackEnabled: settings.writeBack.enabled,
    segments: synced.map((s) => ({
      key: s.key,
      name: s.name,
      customers: sizes.get(s.key as never) ?? 0,
      adminUrl: segmentAdminUrl(session.shop, s.segmentId),
    })),
  };
};

const Intent = z.discriminatedUnion("intent", [
  DiscountFormInput,
  z.object({ intent: z.enum(["remove-tags", "restore-tags"]) }),
]);

type ActionResult = DiscountResult & { tags: "removing" | "restoring" | null };

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { session } = await authenticate.admin(request);
  const parsed = Intent.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success)
    return { created: null, tags: null, errors: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) };
  const input = parsed.data;
  if (input.intent !== "discount") {
    const settings = await loadRfmSettings(db(), session.shop);
    await saveRfmSettings(db(), session.shop, {
      ...settings,
      writeBack: { ...settings.writeBack, enabled: input.intent === "restore-tags" },
    });
    await enqueueShopJob(JOB.rfmWriteBack, session.shop);
    return { created: null, errors: [], tags: input.intent === "remove-tags" ? "removing" : "restoring" };
  }
  return {
    ...(await submitDiscountForm({ db: db(), admin: adminClientForSession(session, logger) }, session.shop, input)),
    tags: null,
  };
};

export default function ShopifyPage() {
  const { segments, writeBackEnabled } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const submit = useSubmit();
  const busy = useNavigation().state !== "idle";
  const { t, fmt } = useI18n();
  return (
    <Page title={t.shopify.title}>
      <TitleBar title={t.shopify.title} />
      <Layout>
        {result?.tags && (
          <Layout.Section>
            <Banner tone="success">
              <p id="tags-ok">{result.tags === "removing" ? t.shopify.removing : t.shopify.restoring}</p>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t.shopify.segmentsTitle}
              </Text>
              {segments.length === 0 ? (
                <Text as="p">{t.shopify.noSegments}</Text>
              ) : (
                <BlockStack gap="200">
                  {segments.map((s) => (
                    <InlineStack key={s.key} align="space-between" blockAlign="center">
                      <Link url={s.adminUrl} target="_blank" id={`shopify-segment-${s.key}`}>
                        {s.name}
                      </Link>
                      <Text as="span" tone="subdued">
                        {fmt.number(s.customers)} {t.common.customers}
                      </Text>
                    </InlineStack>
                  ))}
                </BlockStack>
              )}
            </BlockStack>
          </Card>
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
