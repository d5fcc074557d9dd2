import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { z } from "zod";
import { authenticate } from "../shopify/shopify.server";
import { Fact } from "../components/Fact";
import { db } from "../platform/db.server";
import { customerView } from "../pages/customer/customer-view.server";
import { customerAdminUrl } from "../shopify/admin-urls";
import { resolveLocale } from "../i18n/locale.server";
import { useI18n } from "../i18n/use-i18n";

const Params = z.object({ id: z.string().regex(/^[1-9]\d{0,18}$/) });

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = Params.safeParse(params);
  if (!parsed.success) throw new Response("No such customer", { status: 404 });
  const { locale } = await resolveLocale(db(), session.shop, request);
  const view = await customerView(db(), session.shop, BigInt(parsed.data.id), locale);
  if (!view) throw new Response("No such customer", { status: 404 });
  return { ...view, id: parsed.data.id, adminUrl: customerAdminUrl(session.shop, parsed.data.id) };
};

export default function CustomerPage() {
  const v = useLoaderData<typeof loader>();
  const { t: messages, fmt } = useI18n();
  const t = { ...messages.customer, open: messages.common.openInShopify, none: messages.common.none };
  const title = v.name ?? v.email ?? `#${v.id}`;
  return (
    <Page
      title={title}
      backAction={{ content: messages.common.back, url: "/app" }}
      secondaryActions={[{ content: t.open, url: v.adminUrl, target: "_blank" }]}
    >
      <TitleBar title={title} />
      <Layout>
        {v.score && (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    {t.scores}
                  </Text>
                  <Text as="span" variant="headingLg" id="rfm-code">
                    {v.score.code}
                  </Text>
                </InlineStack>
                <BlockStack gap="100">
                  {v.score.explanations.map((e, i) => (
                    <Text as="p" key={e} id={`explain-${["r", "f", "m"][i]}`}>
                      {e}
                    </Text>
                  ))}
                </BlockStack>
                <Text as="p" variant="bodySm" tone="subdued">
                  {t.asOf} {v.asOf ? fmt.date(v.asOf) : "—"}
                </Text>
                <InlineStack gap="200" blockAlign="center">
                  <Text as="span" fontWeight="semibold">
                    {t.segment}:
                  </Text>
                  <Text as="span" variant="headingSm" id="segment-name">
                    {v.score.segment.name}
                  </Text>
                  <Text as="span" tone="subdued">
                    {t.since} {fmt.date(v.score.segment.since)}
                  </Text>
                  {v.score.candidate && (
                    <Text as="span" tone="subdued">
                      · {t.moving} {v.score.candidate.name} ({v.score.candidate.runs} {t.runs})
                    </Text>
                  )}
                </InlineStack>
                <InlineStack gap="200">
                  <Text as="span" fontWeight="semibold">
                    {t.behaviour}:
                  </Text>
                  {v.score.behaviours.length === 0 ? (
                    <Text as="span">{t.none}</Text>
                  ) : (
                    v.score.behaviours.map((b) => <Badge key={b.key}>{b.name}</Badge>)
                  )}
                </InlineStack>
              </BlockStack>
            </Card>
          </Layout.Section>
        )}
        {v.totals && (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t.totals}
                </Text>
                <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
                  <Fact label={t.orders} value={fmt.number(v.totals.orders)} id="total-orders" />
                  <Fact label={t.net} value={v.totals.netSpend} id="total-net" />
                  <Fact label={t.gross} value={v.totals.grossSpend} />
                  <Fact label={t.aov} value={v.totals.averageOrder} />
                  <Fact label={t.refunds} value={`${v.totals.refunds} · ${v.totals.refunded}`} />
                  <Fact label={t.first} value={fmt.day(v.totals.firstOrderAt)} />
                  <Fact label={t.last} value={fmt.day(v.totals.lastOrderAt)} />
                  <Fact
                    label={t.gap}
                    value={v.totals.daysBetweenOrders === null ? "—" : String(v.totals.daysBetweenOrders)}
                  />
                </InlineGrid>
              </BlockStack>
            </Card>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t.history}
              </Text>
              <ul id="segment-history">
                {v.history.map((h) => (
                  <li key={`${h.kind}-${h.segment}-${h.from}`}>
                    {h.name} · {fmt.date(h.from)} – {h.to ? fmt.date(h.to) : t.now}
                  </li>
                ))}
              </ul>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t.tags}
              </Text>
              <InlineStack gap="200">
                {v.appTags.length === 0 ? (
                  <Text as="span">{t.noTags}</Text>
                ) : (
                  v.appTags.map((tag) => <Badge key={tag}>{tag}</Badge>)
                )}
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
