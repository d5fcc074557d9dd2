import { Banner, BlockStack, Divider, Text } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import { plural } from "../../i18n/plural";
import { PhaseRow, expectedProgress } from "./PhaseRow";
import { PhaseButton } from "./PhaseButton";
import { SyncNowButton } from "./SyncNowButton";
import { syncLine, syncLineText } from "./sync-feedback";
import type { DashboardData } from "./dashboard-data";

/** Inside the status line's details: the pipeline's three phases (sync, scoring, write-back): progress, counts, failures and retry buttons. */
export function StatusCard({ d, now }: { d: DashboardData; now: number }) {
  const { t, fmt, language } = useI18n();
  const count = (message: Parameters<typeof plural>[0], n: number) => plural(message, n, language, fmt.number(n));
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
    <BlockStack gap="400">
      <Text as="h3" variant="headingSm">
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
                syncLineText(syncLine(sync), t, fmt),
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
          <SyncNowButton
            kind={d.sync.lastCompleted ? "reconcile" : "backfill"}
            currentRunId={sync?.runId ?? null}
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
        <Banner tone="warning">{fill(t.home.scoringInterrupted, { at: fmt.dateTime(scoring.startedAt ?? "") })}</Banner>
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
          wb.phase === "done" && count(t.home.writeBackTags, wb.tagCustomers ?? 0),
          wb.phase === "done" && count(t.home.writeBackMetafields, wb.metafieldCustomers ?? 0),
          wb.phase === "done" && count(t.home.segmentsChanged, wb.segmentsChanged ?? 0),
          wb.state === "running" && left(wbEta.secondsLeft),
          wb.finishedAt && fill(t.home.lastRun, { at: fmt.dateTime(wb.finishedAt) }),
        )}
        action={
          wb.state === "failed" || wb.state === "interrupted" ? (
            <PhaseButton intent="write-back" label={t.home.retryWriteBack} />
          ) : undefined
        }
      />
      {wb.refused > 0 && <Banner tone="warning">{count(t.home.writeBackRefused, wb.refused)}</Banner>}
      {wb.state === "failed" && (
        <Banner tone="critical">{fill(t.home.writeBackFailed, { message: wb.message ?? "" })}</Banner>
      )}
      {wb.state === "interrupted" && (
        <Banner tone="warning">{fill(t.home.writeBackInterrupted, { at: fmt.dateTime(wb.startedAt ?? "") })}</Banner>
      )}
    </BlockStack>
  );
}
