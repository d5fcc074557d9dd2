import type { ReactNode } from "react";
import { BlockStack, InlineStack, ProgressBar, Text } from "@shopify/polaris";

/** One phase of the pipeline (sync, scoring, write-back): a label, a bar while it runs, a line of detail. */
export function PhaseRow(props: {
  id: string;
  title: string;
  state: string;
  progress: number | null;
  tone?: "critical" | "primary" | "success";
  detail: ReactNode;
  action?: ReactNode;
}) {
  return (
    <BlockStack gap="150">
      <InlineStack align="space-between" blockAlign="center">
        <Text as="h3" variant="headingSm" id={`${props.id}-title`}>
          {props.title}
        </Text>
        {props.action}
      </InlineStack>
      <Text as="p" variant="bodyMd" id={`${props.id}-phase`}>
        {props.state}
      </Text>
      {props.progress !== null && (
        // Named by the phase's heading, so a screen reader says which bar this is.
        <ProgressBar
          size="small"
          progress={Math.round(props.progress * 100)}
          tone={props.tone ?? "primary"}
          ariaLabelledBy={`${props.id}-title`}
        />
      )}
      <Text as="p" variant="bodySm" tone="subdued" id={`${props.id}-detail`}>
        {props.detail}
      </Text>
    </BlockStack>
  );
}

/** Progress and time left of a run measured against how long the previous one took (never claims 100 % early). */
export function expectedProgress(
  startedAt: string | null,
  expectedSeconds: number | null,
  now: number,
): { fraction: number | null; secondsLeft: number | null } {
  if (!startedAt || !expectedSeconds || expectedSeconds <= 0) return { fraction: null, secondsLeft: null };
  const elapsed = (now - new Date(startedAt).getTime()) / 1000;
  return {
    fraction: Math.min(0.95, Math.max(0, elapsed / expectedSeconds)),
    secondsLeft: Math.max(1, expectedSeconds - elapsed),
  };
}
