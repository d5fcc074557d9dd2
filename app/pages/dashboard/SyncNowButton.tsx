import { useEffect, useRef, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Button, InlineStack, Text } from "@shopify/polaris";
import { useAppBridge } from "@shopify/app-bridge-react";
import { useI18n } from "../../i18n/use-i18n";
import { useReloadWhile } from "../../components/use-reload-while";

/** Give up the "queued" note if no new sync shows up (a sync the queue folded into one already waiting). */
const QUEUED_AT_MOST_MS = 60_000;

/**
 * Sync now: a toast and a "queued" note at once, and the page follows along until the worker has
 * started the new sync (its run replaces `currentRunId`), since the job waits in the queue first.
 */
export function SyncNowButton({
  kind,
  currentRunId,
  disabled,
  label,
}: {
  kind: "backfill" | "reconcile";
  currentRunId: string | null;
  disabled: boolean;
  label: string;
}) {
  const { t } = useI18n();
  const shopify = useAppBridge();
  const fetcher = useFetcher<{ ok: boolean }>();
  const [queuedFrom, setQueuedFrom] = useState<{ runId: string | null } | null>(null);
  const toasted = useRef<unknown>(null);
  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data?.ok || toasted.current === fetcher.data) return;
    toasted.current = fetcher.data;
    shopify.toast.show(t.home.syncQueued);
  }, [fetcher.state, fetcher.data, shopify, t]);
  const queued = queuedFrom !== null && queuedFrom.runId === currentRunId;
  useReloadWhile(queued);
  useEffect(() => {
    if (!queued) return;
    const giveUp = setTimeout(() => setQueuedFrom(null), QUEUED_AT_MOST_MS);
    return () => clearTimeout(giveUp);
  }, [queued]);
  return (
    <InlineStack gap="200" blockAlign="center">
      {queued && (
        <Text as="span" tone="subdued" id="sync-queued">
          {t.home.syncQueuedState}
        </Text>
      )}
      <Button
        size="slim"
        id="sync-now"
        disabled={disabled || queued}
        loading={fetcher.state !== "idle"}
        onClick={() => {
          setQueuedFrom({ runId: currentRunId });
          fetcher.submit({ intent: "sync", kind }, { method: "post" });
        }}
      >
        {label}
      </Button>
    </InlineStack>
  );
}
