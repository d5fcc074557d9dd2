import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Divider,
  EmptyState,
  InlineGrid,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { z } from "zod";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify/shopify.server";
import { Fact } from "../components/Fact";
import { PhaseRow, expectedProgress } from "../pages/dashboard/PhaseRow";
import { SegmentTable } from "../pages/dashboard/SegmentTable";
import { RfGrid } from "../pages/dashboard/RfGrid";
import { ParetoChart } from "../pages/dashboard/ParetoChart";
import { MovementMatrix } from "../pages/dashboard/MovementMatrix";
import { db } from "../platform/db.server";
import { logger } from "../platform/logger.server";
import { adminClientForSession } from "../shopify/admin-client.server";
import { getShopOverview } from "../shopify/shop.server";
import { loadDashboard } from "../pages/dashboard/dashboard.server";
import { resolveLocale } from "../i18n/locale.server";
import { fill, useI18n } from "../i18n/use-i18n";
import { enqueueShopJob, JOB } from "../pipeline/jobs.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const admin = adminClientForSession(session, logger);
  const { locale } = await resolveLocale(db(), session.shop, request);
  const [overview, dashboard] = await Promise.all([
    getShopOverview({ db: db(), admin }),
    loadDashboard(db(), session.shop, locale),
  ]);
  return { ...overview, infoSyncedAt: overview.infoSyncedAt?.toISOString() ?? null, dashboard, now: Date.now() };
};

const Intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("sync"), kind: z.enum(["backfill", "reconcile"]) }),
  z.object({ intent: z.literal("score") }),
  z.object({ intent: z.literal("write-back") }),
]);

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = Intent.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return new Response("Unknown request", { status: 400 });
  const input = parsed.data;
  if (input.intent === "sync") await enqueueShopJob(JOB.ordersSync, session.shop, { kind: input.kind });
  if (input.intent === "score") {
    await db().shop.updateMany({ where: { shop: session.shop }, data: { scoringError: null } });
    await enqueueShopJob(JOB.rfmScore, session.shop);
  }
  if (input.intent === "write-back") await enqueueShopJob(JOB.rfmWriteBack, session.shop);
  return { ok: true };
};

/** EmptyState wants an illustration; an empty SVG keeps the page free of external images. */
const EMPTY_IMAGE = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E";

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
type DashboardData = Data["dashboard"];

function PhaseButton({
  intent,
  label,
  disabled,
  extra,
}: {
  intent: string;
  label: string;
  disabled?: boolean;
  extra?: Record<string, string>;
}) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(extra ?? {}).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <Button submit size="slim" disabled={disabled} loading={busy}>
        {label}
      </Button>
    </Form>
  );
}

function StatusCard({ d, now }: { d: DashboardData; now: number }) {
  const { t, fmt } = useI18n();
  const left = (s: number | null) =>
    s === null
      ? ""
      : s >= 120
        ? fill(t.common.minutes, { n: Math.ceil(s / 60) })
        : fill(t.common.seconds, { n: Math.ceil(s) });
  const join = (...parts: (string | null | false | undefined)[]) => parts.filter(Boolean).join(" · ");

  const sync = d.sync.current;
  const syncRunning = sync !== null && ["pending", "running", "ingesting", "aggregating"].includes(sync.status);
  const syncPhase: Record<string, string> = {
    exporting: t.home.phaseExporting,
    ingesting: t.home.phaseIngesting,
    aggregating: t.home.phaseAggregating,
    completed: t.home.phaseCompleted,
    failed: t.home.phaseFailed,
    pending: t.home.phasePending,
  };
  const syncFraction = sync?.ordersExpected
    ? Math.min(1, sync.ordersIngested / sync.ordersExpected)
    : sync?.status === "completed"
      ? 1
      : 0;
  const scoring = d.scoring;
  const scoringEta =
    scoring.state === "running"
      ? expectedProgress(scoring.startedAt, scoring.expectedSeconds, now)
      : { fraction: null, secondsLeft: null };
  const wb = d.writeBack;
  const wbEta =
    wb.state === "running"
      ? expectedProgress(wb.startedAt, wb.expectedSeconds, now)
      : { fraction: null, secondsLeft: null };
  const wbStep = { tags: 0, metafields: 1, segments: 2 }[wb.phase ?? ""] ?? 0;

  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t.home.status}
        </Text>
        {sync?.limitedTo60Days && <Banner tone="warning">{t.home.limited60}</Banner>}
        <PhaseRow
          id="sync"
          title={t.home.syncTitle}
          state={
            sync ? (syncPhase[sync.phase ?? sync.status] ?? syncPhase[sync.status] ?? sync.status) : t.home.noSyncYet
          }
          progress={sync ? syncFraction : null}
          tone={sync?.status === "failed" ? "critical" : sync?.status === "completed" ? "success" : "primary"}
          detail={
            sync
              ? join(
                  fill(t.home.syncCounts, {
                    done: fmt.number(sync.ordersIngested),
                    total: sync.ordersExpected === null ? "?" : fmt.number(sync.ordersExpected),
                  }),
                  syncRunning && sync.ordersPerSecond
                    ? fill(t.home.syncRate, { rate: fmt.number(Math.round(sync.ordersPerSecond)) })
                    : null,
                  syncRunning && sync.etaSeconds !== null ? left(sync.etaSeconds) : null,
                  d.sync.lastCompleted?.finishedAt
                    ? fill(t.home.lastSynced, { at: fmt.dateTime(d.sync.lastCompleted.finishedAt) })
                    : null,
                )
              : ""
          }
          action={
            <PhaseButton
              intent="sync"
              extra={{ kind: d.sync.lastCompleted ? "reconcile" : "backfill" }}
              disabled={syncRunning}
              label={sync?.status === "failed" ? t.home.retrySync : t.home.syncNow}
            />
          }
        />
        {sync?.status === "failed" && (
          <Banner tone="critical">{fill(t.home.syncFailed, { message: sync.message ?? sync.status })}</Banner>
        )}
        <Divider />
        <PhaseRow
          id="scoring"
          title={t.home.scoringTitle}
          state={
            scoring.state === "running"
              ? t.home.scoringRunning
              : d.run
                ? fill(t.home.scoringIdle, { date: fmt.date(d.run.asOf), customers: fmt.number(d.run.customers) })
                : t.home.scoringNever
          }
          progress={scoring.state === "running" ? (scoringEta.fraction ?? 0) : d.run ? 1 : null}
          tone={scoring.state === "failed" ? "critical" : scoring.state === "running" ? "primary" : "success"}
          detail={join(
            scoring.state === "running" && left(scoringEta.secondsLeft),
            scoring.finishedAt && fill(t.home.lastRun, { at: fmt.dateTime(scoring.finishedAt) }),
          )}
          action={
            scoring.state === "failed" || scoring.state === "interrupted" ? (
              <PhaseButton intent="score" label={t.home.retryScoring} />
            ) : undefined
          }
        />
        {scoring.state === "failed" && (
          <Banner tone="critical">{fill(t.home.scoringFailed, { message: scoring.message ?? "" })}</Banner>
        )}
        {scoring.state === "interrupted" && (
          <Banner tone="warning">
            {fill(t.home.scoringInterrupted, { at: fmt.dateTime(scoring.startedAt ?? "") })}
          </Banner>
        )}
        <Divider />
        <PhaseRow
          id="write-back"
          title={t.home.writeBackTitle}
          state={
            wb.state === "queued"
              ? t.home.phasePending
              : wb.phase
                ? (t.home.writeBackPhase[wb.phase as keyof typeof t.home.writeBackPhase] ?? wb.phase)
                : t.home.writeBackNever
          }
          progress={wb.state === "running" ? Math.max(wbStep / 3, wbEta.fraction ?? 0) : wb.phase === "done" ? 1 : null}
          tone={wb.state === "failed" ? "critical" : wb.state === "running" ? "primary" : "success"}
          detail={join(
            wb.phase === "done" &&
              fill(t.home.writeBackCounts, {
                tags: fmt.number(wb.tagCustomers ?? 0),
                metafields: fmt.number(wb.metafieldCustomers ?? 0),
                segments: fmt.number(wb.segmentsChanged ?? 0),
              }),
            wb.state === "running" && left(wbEta.secondsLeft),
            wb.finishedAt && fill(t.home.lastRun, { at: fmt.dateTime(wb.finishedAt) }),
          )}
          action={
            wb.state === "failed" || wb.state === "interrupted" ? (
              <PhaseButton intent="write-back" label={t.home.retryWriteBack} />
            ) : undefined
          }
        />
        {wb.refused > 0 && (
          <Banner tone="warning">{fill(t.home.writeBackRefused, { n: fmt.number(wb.refused) })}</Banner>
        )}
        {wb.state === "failed" && (
          <Banner tone="critical">{fill(t.home.writeBackFailed, { message: wb.message ?? "" })}</Banner>
        )}
        {wb.state === "interrupted" && (
          <Banner tone="warning">{fill(t.home.writeBackInterrupted, { at: fmt.dateTime(wb.startedAt ?? "") })}</Banner>
        )}
      </BlockStack>
    </Card>
  );
}

export default function Home() {
  const shop = useLoaderData<typeof loader>();
  const d = shop.dashboard;
  const { t, fmt } = useI18n();
  const revalidator = useRevalidator();
  const syncing =
    d.sync.current === null || ["pending", "running", "ingesting", "aggregating"].includes(d.sync.current.status);
  const busy =
    syncing ||
    d.scoring.state === "running" ||
    d.writeBack.state === "running" ||
    d.writeBack.state === "queued" ||
    (d.run === null && d.hasOrders);
  // While anything runs, follow it live: progress bars, counts and, at the end, the figures.
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 2_000);
    return () => clearInterval(timer);
  }, [busy, revalidator]);
  // ETAs count down between loads from the server's clock (no hydration mismatch on first paint).
  const [now, setNow] = useState(shop.now);
  useEffect(() => setNow(Date.now()), [shop.now]);

  const order = [...d.segments.map((s) => ({ key: s.key as string, name: s.name }))];
  const noOrdersYet = !d.hasOrders && d.sync.lastCompleted !== null;
  return (
    <Page title={t.home.title}>
      <TitleBar title={t.home.title} />
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <Text as="h2" variant="headingMd" id="shop-name">
                {shop.name}
              </Text>
              <Text as="p" variant="bodyMd">
                {t.home.intro}
              </Text>
              <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
                <Fact label={t.home.store} value={shop.shop} />
                <Fact label={t.home.currency} value={shop.currencyCode ?? "—"} />
                <Fact label={t.home.timeZone} value={shop.ianaTimezone ?? "—"} />
                <Fact label={t.home.plan} value={shop.planDisplayName ?? "—"} />
              </InlineGrid>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <StatusCard d={d} now={now} />
        </Layout.Section>
        {d.run === null ? (
          <Layout.Section>
            <Card>
              {noOrdersYet ? (
                <EmptyState heading={t.home.emptyNoOrdersTitle} image={EMPTY_IMAGE}>
                  <p id="empty-state">{t.home.emptyNoOrders}</p>
                </EmptyState>
              ) : (
                <EmptyState heading={t.home.emptyBackfillTitle} image={EMPTY_IMAGE}>
                  <p id="empty-state">{t.home.emptyBackfill}</p>
                </EmptyState>
              )}
            </Card>
          </Layout.Section>
        ) : (
          <>
            <Layout.Section>
              <Card padding="0">
                <BlockStack gap="200">
                  <div style={{ padding: "16px 16px 0" }}>
                    <BlockStack gap="100">
                      <Text as="h2" variant="headingMd">
                        {t.home.overviewTitle}
                      </Text>
                      <Text as="p" variant="bodySm" tone="subdued" id="segments-as-of">
                        {fill(t.home.overviewAsOf, {
                          date: fmt.date(d.run.asOf),
                          customers: fmt.number(d.run.customers),
                          revenue: fmt.money(d.run.revenue),
                        })}
                      </Text>
                      {!d.historyCoversMovement && d.movementFrom && (
                        <Text as="p" variant="bodySm" tone="subdued">
                          {fill(t.home.noHistory, { date: fmt.date(d.historyStart ?? d.run.asOf) })}
                        </Text>
                      )}
                    </BlockStack>
                  </div>
                  <SegmentTable
                    rows={d.segments}
                    id="segment"
                    title={t.home.colSegment}
                    changeSince={d.historyCoversMovement ? d.movementFrom : null}
                  />
                  {d.behaviours.length > 0 && (
                    <SegmentTable
                      rows={d.behaviours}
                      id="behaviour"
                      title={t.home.behavioursTitle}
                      changeSince={null}
                    />
                  )}
                </BlockStack>
              </Card>
            </Layout.Section>
            <Layout.Section variant="oneHalf">
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {t.home.gridTitle}
                  </Text>
                  <RfGrid cells={d.grid} scale={d.scale} />
                </BlockStack>
              </Card>
            </Layout.Section>
            <Layout.Section variant="oneHalf">
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {t.home.paretoTitle}
                  </Text>
                  <ParetoChart points={d.pareto} />
                </BlockStack>
              </Card>
            </Layout.Section>
            <Layout.Section>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {t.home.movementTitle}
                  </Text>
                  {d.historyCoversMovement && d.movementFrom ? (
                    <>
                      <MovementMatrix moves={d.movement} order={order} from={d.movementFrom} />
                      {d.reconstructedUntil && (
                        <Text as="p" variant="bodySm" tone="subdued" id="movement-reconstructed">
                          {fill(t.home.movementReconstructed, { date: fmt.date(d.reconstructedUntil) })}
                        </Text>
                      )}
                    </>
                  ) : (
                    <Text as="p" id="movement-no-history">
                      {fill(t.home.movementNoHistory, { date: fmt.date(d.historyStart ?? d.run.asOf) })}
                    </Text>
                  )}
                </BlockStack>
              </Card>
            </Layout.Section>
          </>
        )}
      </Layout>
    </Page>
  );
}
