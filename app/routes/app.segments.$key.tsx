import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import {
  BlockStack,
  Box,
  Button,
  Card,
  IndexTable,
  InlineGrid,
  InlineStack,
  Layout,
  Link,
  List,
  Page,
  Pagination,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify/shopify.server";
import { db } from "../platform/db.server";
import { logger } from "../platform/logger.server";
import { adminClientForSession } from "../shopify/admin-client.server";
import { Fact } from "../components/Fact";
import { DiscountForm } from "../components/DiscountForm";
import { CustomerListQuery, GroupKey, isBehaviour, segmentCustomers } from "../pages/segment/segment-page.server";
import { DiscountForm as DiscountFormInput, submitDiscountForm } from "../pages/segment/discount-form.server";
import { customerAdminUrl, segmentAdminUrl } from "../shopify/admin-urls";
import { latestFullRun, type RunCutoffsJson, type RunStats } from "../pipeline/score/scoring.server";
import { loadRfmSettings } from "../settings/settings.server";
import type { RunSummary } from "../pipeline/score/run-summary.server";
import { RfmSettings, rulesOf } from "../domain/rfm/settings";
import { segmentName, SEGMENT_DESCRIPTIONS } from "../i18n/rfm/presets";
import { describeBehaviour, describeSegmentRule } from "../i18n/rfm/describe";
import { recommendedActions } from "../i18n/rfm/actions";
import { resolveLocale } from "../i18n/locale.server";
import { formatters } from "../i18n/format";
import { fill, useI18n } from "../i18n/use-i18n";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsedKey = GroupKey.safeParse(params.key);
  if (!parsedKey.success) throw new Response("No such segment", { status: 404 });
  const key = parsedKey.data;
  const query = CustomerListQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { locale, context } = await resolveLocale(db(), session.shop, request);
  const [settings, run, synced, page] = await Promise.all([
    loadRfmSettings(db(), session.shop),
    latestFullRun(db(), session.shop),
    db().shopifySegment.findUnique({ where: { shop_key: { shop: session.shop, key } } }),
    segmentCustomers(db(), session.shop, key, query),
  ]);
  const money = formatters(context.formatLocale, context.currency, context.timeZone).money;
  // The rule as the run that placed these customers saw it.
  const runSettings = RfmSettings.safeParse(run?.settings);
  const scored = runSettings.success ? runSettings.data : settings;
  const cutoffs = (run?.cutoffs ?? { r: [], f: [], m: [] }) as unknown as RunCutoffsJson;
  const stats = (run?.stats ?? {}) as Partial<RunStats>;
  const summary = (run?.summary ?? null) as RunSummary | null;
  const figures = summary ? (isBehaviour(key) ? summary.behaviours[key] : summary.segments[key]) : undefined;
  const language = context.language;
  return {
    key,
    name: segmentName(key, settings, locale),
    description: isBehaviour(key) ? null : SEGMENT_DESCRIPTIONS[language][key],
    rule: isBehaviour(key)
      ? [describeBehaviour(key, settings, stats, language, money)]
      : describeSegmentRule(key, rulesOf(scored), cutoffs, language, money, settings.behaviours),
    actions: recommendedActions(key, language),
    asOf: run ? run.asOf.toISOString().slice(0, 10) : null,
    figures: figures
      ? {
          ...figures,
          share: summary && summary.total.customers > 0 ? figures.customers / summary.total.customers : 0,
          revenueShare:
            summary && Number(summary.total.revenue) > 0 ? Number(figures.revenue) / Number(summary.total.revenue) : 0,
          aov: figures.orders > 0 ? (Number(figures.revenue) / figures.orders).toFixed(2) : null,
        }
      : null,
    shopifySegment: synced ? { name: synced.name, url: segmentAdminUrl(session.shop, synced.segmentId) } : null,
    customers: page.customers.map((c) => ({ ...c, adminUrl: customerAdminUrl(session.shop, c.customerId) })),
    next: page.next,
    previous: page.previous,
    query: { sort: query.sort, dir: query.dir, q: query.q ?? "" },
  };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const key = GroupKey.safeParse(params.key);
  if (!key.success) throw new Response("No such segment", { status: 404 });
  const input = DiscountFormInput.safeParse({ ...Object.fromEntries(await request.formData()), segmentKey: key.data });
  if (!input.success)
    return { created: null, errors: input.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) };
  return submitDiscountForm({ db: db(), admin: adminClientForSession(session, logger) }, session.shop, input.data);
};

/** Saves the CSV the export route streams; the session token rides on App Bridge's fetch. */
function ExportButton({ segmentKey }: { segmentKey: string }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      const response = await fetch(`/app/export/${segmentKey}`);
      if (!response.ok) throw new Error(`Export failed (${response.status})`);
      const name =
        /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? `rfm-${segmentKey}.csv`;
      const url = URL.createObjectURL(await response.blob());
      const a = document.createElement("a");
      a.href = url;
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button onClick={download} loading={busy} id="export-csv">
      {busy ? t.segment.exporting : t.segment.exportCsv}
    </Button>
  );
}

function CustomerList({ data }: { data: ReturnType<typeof useLoaderData<typeof loader>> }) {
  const { t, fmt } = useI18n();
  const [params] = useSearchParams();
  const [q, setQ] = useState(data.query.q);
  const [sort, setSort] = useState(`${data.query.sort}:${data.query.dir}`);
  const [s, dir] = sort.split(":");
  const pageUrl = (cursor: Record<string, string>) => {
    const next = new URLSearchParams(params);
    next.delete("after");
    next.delete("before");
    for (const [k, v] of Object.entries(cursor)) next.set(k, v);
    return `?${next.toString()}`;
  };
  const sortOptions = (["spend", "recency", "orders"] as const).flatMap((k) => {
    const label = { spend: t.segment.sortSpend, recency: t.segment.sortRecency, orders: t.segment.sortOrders }[k];
    return [
      { label: `${label} (${t.segment.desc})`, value: `${k}:desc` },
      { label: `${label} (${t.segment.asc})`, value: `${k}:asc` },
    ];
  });
  return (
    <BlockStack gap="300">
      <Box paddingInline="400" paddingBlockStart="400">
        <Form method="get" id="customer-search">
          <input type="hidden" name="sort" value={s} />
          <input type="hidden" name="dir" value={dir} />
          <InlineStack gap="300" blockAlign="end" wrap={false}>
            <div style={{ flex: 1 }}>
              <TextField
                label={t.segment.search}
                name="q"
                value={q}
                onChange={setQ}
                autoComplete="off"
                clearButton
                onClearButtonClick={() => setQ("")}
                id="customer-q"
              />
            </div>
            <Select label={t.segment.sort} options={sortOptions} value={sort} onChange={setSort} id="customer-sort" />
            <Button submit id="customer-apply">
              {t.segment.searchButton}
            </Button>
          </InlineStack>
        </Form>
      </Box>
      <div id="segment-customers">
        <IndexTable
          resourceName={{ singular: t.common.customer, plural: t.common.customers }}
          itemCount={data.customers.length}
          selectable={false}
          emptyState={
            <Box padding="400">
              <Text as="p">{t.segment.noCustomers}</Text>
            </Box>
          }
          headings={[
            { title: t.segment.colName },
            { title: t.segment.colEmail },
            { title: t.segment.colOrders, alignment: "end" },
            { title: t.segment.colSpend, alignment: "end" },
            { title: t.segment.colLastOrder, alignment: "end" },
            { title: t.segment.colRfm, alignment: "end" },
            { title: "" },
          ]}
        >
          {data.customers.map((c, i) => (
            <IndexTable.Row id={c.customerId} key={c.customerId} position={i}>
              <IndexTable.Cell>
                <Link url={`/app/customers/${c.customerId}`} removeUnderline>
                  {c.name ?? `#${c.customerId}`}
                </Link>
              </IndexTable.Cell>
              <IndexTable.Cell>{c.email ?? "—"}</IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {fmt.number(c.orders)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {fmt.money(c.netSpend)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {fmt.date(c.lastOrderDate)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {`${c.r}${c.f}${c.m}`}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Link url={c.adminUrl} target="_blank">
                  {t.common.openInShopify}
                </Link>
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      </div>
      <Box paddingBlockEnd="400">
        <InlineStack align="center">
          <Pagination
            hasPrevious={data.previous !== null}
            previousURL={data.previous ? pageUrl({ before: data.previous }) : undefined}
            hasNext={data.next !== null}
            nextURL={data.next ? pageUrl({ after: data.next }) : undefined}
          />
        </InlineStack>
      </Box>
    </BlockStack>
  );
}

export default function SegmentPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, fmt } = useI18n();
  const busy = useNavigation().state === "loading";
  const f = data.figures;
  return (
    <Page
      title={data.name}
      backAction={{ content: t.common.back, url: "/app" }}
      secondaryActions={<ExportButton segmentKey={data.key} />}
    >
      <TitleBar title={data.name} />
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t.segment.meaning}
              </Text>
              {data.description && <Text as="p">{data.description}</Text>}
              <Text as="h3" variant="headingSm">
                {t.segment.rule}
              </Text>
              <BlockStack gap="100">
                {data.rule.map((line) => (
                  <Text as="p" key={line} id="segment-rule">
                    {line}
                  </Text>
                ))}
              </BlockStack>
              {f && (
                <InlineGrid columns={{ xs: 2, md: 5 }} gap="300">
                  <Fact label={t.home.colCustomers} value={fmt.number(f.customers)} id="figure-customers" />
                  <Fact label={t.home.colShareCustomers} value={fmt.percent(f.share, 1)} />
                  <Fact label={t.home.colShareRevenue} value={fmt.percent(f.revenueShare, 1)} />
                  <Fact label={t.home.colAov} value={f.aov === null ? "—" : fmt.money(f.aov)} />
                  <Fact
                    label={t.home.colRecency}
                    value={f.medianRecencyDays === null ? "—" : fmt.number(Math.round(f.medianRecencyDays))}
                  />
                </InlineGrid>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t.segment.actions}
              </Text>
              <div id="segment-actions">
                <List>
                  {data.actions.map((a) => (
                    <List.Item key={a}>{a}</List.Item>
                  ))}
                </List>
              </div>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t.segment.inShopify}
              </Text>
              {data.shopifySegment ? (
                <Link url={data.shopifySegment.url} target="_blank" id="shopify-segment-link">
                  {t.segment.shopifySegment}: {data.shopifySegment.name}
                </Link>
              ) : (
                <Text as="p" tone="subdued">
                  {t.segment.notSynced}
                </Text>
              )}
              <Text as="h3" variant="headingSm">
                {t.discount.title}
              </Text>
              <DiscountForm segments={[{ key: data.key, name: data.name }]} result={result} />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <div style={{ opacity: busy ? 0.6 : 1 }}>
              <Box paddingInline="400" paddingBlockStart="400">
                <Text as="h2" variant="headingMd">
                  {t.segment.customersTitle}
                  {data.asOf
                    ? ` · ${fill(t.home.scoringIdle, { date: fmt.date(data.asOf), customers: fmt.number(f?.customers ?? 0) })}`
                    : ""}
                </Text>
              </Box>
              <CustomerList data={data} />
            </div>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
