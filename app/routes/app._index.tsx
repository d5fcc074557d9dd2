import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { Banner, BlockStack, Button, Card, InlineGrid, InlineStack, Layout, Page, ProgressBar, Text } from "@shopify/polaris";
import { z } from "zod";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { Fact } from "../components/Fact";
import { db } from "../db.server";
import { logger } from "../logger.server";
import { adminClientForSession } from "../admin/admin-client.server";
import { getShopOverview } from "../models/shop.server";
import { getSyncStatus } from "../models/sync-status.server";
import { segmentSummary } from "../models/segment-summary.server";
import { rememberAdminLocale } from "../models/shop.server";
import { enqueueShopJob, JOB } from "../jobs/queue.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const admin = adminClientForSession(session, logger);
  // The admin passes its language as ?locale= to embedded apps.
  const locale = new URL(request.url).searchParams.get("locale");
  if (locale) await rememberAdminLocale(db(), session.shop, locale);
  const [overview, sync, segments] = await Promise.all([
    getShopOverview({ db: db(), admin }),
    getSyncStatus(db(), session.shop),
    segmentSummary(db(), session.shop, locale),
  ]);
  return { ...overview, infoSyncedAt: overview.infoSyncedAt?.toISOString() ?? null, sync, segments };
};

const SyncRequest = z.object({ intent: z.literal("sync"), kind: z.enum(["backfill", "reconcile"]) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = SyncRequest.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { error: "Unknown request" };
  await enqueueShopJob(JOB.ordersSync, session.shop, { kind: parsed.data.kind });
  return { error: null };
};

const nf = new Intl.NumberFormat("en-US");

function SyncCard({ sync }: { sync: ReturnType<typeof useLoaderData<typeof loader>>["sync"] }) {
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const current = sync.current;
  const running = current !== null && ["running", "ingesting", "aggregating"].includes(current.status);
  // While a sync runs (or the first one is about to start), refresh every two seconds for a live progress bar.
  const watching = running || current === null;
  useEffect(() => {
    if (!watching) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 2_000);
    return () => clearInterval(timer);
  }, [watching, revalidator]);
  const fraction = current?.ordersExpected ? Math.min(1, current.ordersIngested / current.ordersExpected) : current?.status === "completed" ? 1 : 0;
  const phase: Record<string, string> = {
    exporting: "Shopify is exporting your orders",
    ingesting: "Reading orders",
    aggregating: "Calculating customer totals",
    completed: "Up to date",
    failed: "Sync failed",
  };
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Order history
          </Text>
          <Form method="post">
            <input type="hidden" name="intent" value="sync" />
            <input type="hidden" name="kind" value={sync.lastCompleted ? "reconcile" : "backfill"} />
            <Button submit disabled={running} loading={navigation.state === "submitting"}>
              {current?.status === "failed" ? "Retry sync" : "Sync now"}
            </Button>
          </Form>
        </InlineStack>
        {current?.limitedTo60Days && <Banner tone="warning">{current.message}</Banner>}
        {current?.status === "failed" && <Banner tone="critical">{current.message}</Banner>}
        {current ? (
          <BlockStack gap="200">
            <Text as="p" variant="bodyMd" id="sync-phase">
              {phase[current.phase ?? current.status] ?? current.status}
            </Text>
            <ProgressBar progress={Math.round(fraction * 100)} tone={current.status === "failed" ? "critical" : "primary"} />
            <Text as="p" variant="bodySm" tone="subdued" id="sync-counts">
              {nf.format(current.ordersIngested)} of {current.ordersExpected === null ? "?" : nf.format(current.ordersExpected)} orders
              {current.ordersPerSecond ? ` · ${nf.format(Math.round(current.ordersPerSecond))} orders/s` : ""}
              {current.etaSeconds !== null ? ` · about ${Math.ceil(current.etaSeconds)} s left` : ""}
            </Text>
          </BlockStack>
        ) : (
          <Text as="p" variant="bodyMd">
            No orders read yet. The first sync starts automatically after install.
          </Text>
        )}
        <Text as="p" variant="bodySm" tone="subdued">
          {nf.format(sync.ordersStored)} orders stored · {nf.format(sync.customersScored)} customers with orders
          {sync.lastCompleted?.finishedAt ? ` · last synced ${new Date(sync.lastCompleted.finishedAt).toISOString().slice(0, 16).replace("T", " ")} UTC` : ""}
        </Text>
      </BlockStack>
    </Card>
  );
}

function SizeGrid({ sizes, prefix, pct }: { sizes: { key: string; name: string; customers: number }[]; prefix: string; pct: (n: number) => string }) {
  return (
    <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="300">
      {sizes
        .filter((s) => s.customers > 0)
        .map((s) => (
          <Fact key={s.key} label={s.name} value={`${nf.format(s.customers)} · ${pct(s.customers)}`} id={`${prefix}-${s.key}`} />
        ))}
    </InlineGrid>
  );
}

function SegmentsCard({ summary, watching }: { summary: ReturnType<typeof useLoaderData<typeof loader>>["segments"]; watching: boolean }) {
  const revalidator = useRevalidator();
  // Scoring follows the first sync by a few seconds: keep looking until the first run is in.
  useEffect(() => {
    if (!watching) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 2_000);
    return () => clearInterval(timer);
  }, [watching, revalidator]);
  const pct = (n: number) => (summary.customers > 0 ? `${Math.round((n / summary.customers) * 100)} %` : "—");
  const t = summary.language === "nl" ? { title: "Klantsegmenten", waiting: "Het scoren begint zodra de bestelgeschiedenis binnen is.", asOf: "Gescoord op", customers: "klanten", behaviour: "Gedrag" } : { title: "Customer segments", waiting: "Scoring starts as soon as the order history is in.", asOf: "Scored as of", customers: "customers", behaviour: "Behaviour" };
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t.title}
        </Text>
        {summary.asOf === null ? (
          <Text as="p" variant="bodyMd">
            {t.waiting}
          </Text>
        ) : (
          <>
            <Text as="p" variant="bodySm" tone="subdued" id="segments-as-of">
              {t.asOf} {summary.asOf} · {nf.format(summary.customers)} {t.customers}
            </Text>
            <SizeGrid sizes={summary.segments} prefix="segment" pct={pct} />
            <Text as="h3" variant="headingSm">
              {t.behaviour}
            </Text>
            <SizeGrid sizes={summary.behaviours} prefix="behaviour" pct={pct} />
          </>
        )}
      </BlockStack>
    </Card>
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
        <Layout.Section>
          <SyncCard sync={shop.sync} />
        </Layout.Section>
        <Layout.Section>
          <SegmentsCard summary={shop.segments} watching={shop.segments.asOf === null && shop.sync.ordersStored > 0} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
