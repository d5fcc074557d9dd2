import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Layout, Link, Page, Select, Text, TextField } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { z } from "zod";
import { authenticate } from "../shopify.server";
import { db } from "../db.server";
import { logger } from "../logger.server";
import { adminClientForSession, AdminUserErrors } from "../admin/admin-client.server";
import { createSegmentDiscount, SegmentDiscountRequest, SegmentNotSyncedError } from "../models/shopify-segments.server";
import { segmentSummary } from "../models/segment-summary.server";
import { loadRfmSettings, saveRfmSettings } from "../models/scoring.server";
import { enqueueShopJob, JOB } from "../jobs/queue.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shopRow = await db().shop.findUnique({ where: { shop: session.shop }, select: { adminLocale: true } });
  const locale = new URL(request.url).searchParams.get("locale") ?? shopRow?.adminLocale ?? null;
  const [summary, synced, settings] = await Promise.all([
    segmentSummary(db(), session.shop, locale),
    db().shopifySegment.findMany({ where: { shop: session.shop }, orderBy: { key: "asc" } }),
    loadRfmSettings(db(), session.shop),
  ]);
  const sizes = new Map([...summary.segments, ...summary.behaviours].map((s) => [s.key, s.customers]));
  const handle = session.shop.replace(/\.myshopify\.com$/, "");
  return {
    writeBackEnabled: settings.writeBack.enabled,
    segments: synced.map((s) => ({
      key: s.key,
      name: s.name,
      customers: sizes.get(s.key as never) ?? 0,
      adminUrl: `https://admin.shopify.com/store/${handle}/customers/segments/${s.segmentId.replace(/^gid:\/\/shopify\/Segment\//, "")}`,
    })),
  };
};

const Intent = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("discount"),
    segmentKey: z.string(),
    title: z.string(),
    code: z.string(),
    kind: z.string(),
    value: z.coerce.number(),
    endsOn: z.string().regex(/^(\d{4}-\d{2}-\d{2})?$/, "a date"),
  }),
  z.object({ intent: z.enum(["remove-tags", "restore-tags"]) }),
]);

type ActionResult = { ok: string | null; errors: string[] };

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { session } = await authenticate.admin(request);
  const parsed = Intent.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { ok: null, errors: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) };
  const input = parsed.data;
  if (input.intent !== "discount") {
    const settings = await loadRfmSettings(db(), session.shop);
    await saveRfmSettings(db(), session.shop, { ...settings, writeBack: { ...settings.writeBack, enabled: input.intent === "restore-tags" } });
    await enqueueShopJob(JOB.rfmWriteBack, session.shop);
    return { ok: input.intent === "remove-tags" ? "Removing every app tag from your customers. Your own tags stay." : "App tags are being written again.", errors: [] };
  }
  const discount = SegmentDiscountRequest.safeParse({ ...input, endsAt: input.endsOn ? `${input.endsOn}T23:59:59Z` : null });
  if (!discount.success) return { ok: null, errors: discount.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) };
  try {
    await createSegmentDiscount({ db: db(), admin: adminClientForSession(session, logger) }, session.shop, discount.data);
    return { ok: `Discount code ${discount.data.code} created for this segment only.`, errors: [] };
  } catch (error) {
    if (error instanceof AdminUserErrors) return { ok: null, errors: error.userErrors.map((e) => e.message) };
    if (error instanceof SegmentNotSyncedError) return { ok: null, errors: [error.message] };
    throw error;
  }
};

export default function ShopifyPage() {
  const { segments, writeBackEnabled } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const submit = useSubmit();
  const busy = useNavigation().state !== "idle";
  const [form, setForm] = useState({ segmentKey: segments[0]?.key ?? "", title: "", code: "", kind: "percentage", value: "10", endsOn: "" });
  const field = (name: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [name]: value }));
  return (
    <Page title="In Shopify">
      <TitleBar title="In Shopify" />
      <Layout>
        <Layout.Section>
          {result?.ok && (
            <Banner tone="success">
              <p id="action-ok">{result.ok}</p>
            </Banner>
          )}
          {result && result.errors.length > 0 && (
            <Banner tone="critical" title="Shopify did not accept this">
              <ul id="action-errors">
                {result.errors.map((e) => (
                  <li key={e}>{e}</li>
                ))}
              </ul>
            </Banner>
          )}
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Customer segments in Shopify
              </Text>
              {segments.length === 0 ? (
                <Text as="p">The segments appear here after the first write-back.</Text>
              ) : (
                <BlockStack gap="200">
                  {segments.map((s) => (
                    <InlineStack key={s.key} align="space-between" blockAlign="center">
                      <Link url={s.adminUrl} target="_blank" id={`shopify-segment-${s.key}`}>
                        {s.name}
                      </Link>
                      <Text as="span" tone="subdued">
                        {s.customers} customers
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
                Discount code for one segment
              </Text>
              <Select label="Segment" options={segments.map((s) => ({ label: s.name, value: s.key }))} value={form.segmentKey} onChange={field("segmentKey")} />
              <TextField label="Title" autoComplete="off" value={form.title} onChange={field("title")} id="discount-title" />
              <TextField label="Code" autoComplete="off" value={form.code} onChange={field("code")} id="discount-code" />
              <Select
                label="Type"
                options={[
                  { label: "Percentage", value: "percentage" },
                  { label: "Fixed amount", value: "fixed_amount" },
                ]}
                value={form.kind}
                onChange={field("kind")}
              />
              <TextField label="Value" type="number" autoComplete="off" value={form.value} onChange={field("value")} id="discount-value" />
              <TextField label="Ends on" type="date" autoComplete="off" value={form.endsOn} onChange={field("endsOn")} id="discount-ends" />
              <InlineStack>
                <Button variant="primary" loading={busy} disabled={segments.length === 0} onClick={() => submit({ intent: "discount", ...form }, { method: "post" })}>
                  Create discount
                </Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                App tags
              </Text>
              <Text as="p">
                {writeBackEnabled
                  ? "Leaving, or starting over? This takes every tag the app wrote off every customer. Tags you or other apps set stay."
                  : "App tags are off: no customer carries an app tag."}
              </Text>
              <InlineStack>
                {writeBackEnabled ? (
                  <Button tone="critical" loading={busy} onClick={() => submit({ intent: "remove-tags" }, { method: "post" })}>
                    Remove all app tags
                  </Button>
                ) : (
                  <Button loading={busy} onClick={() => submit({ intent: "restore-tags" }, { method: "post" })}>
                    Write app tags again
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
