import { Text } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import type { SinceKind } from "./customer-view.server";

/** "since 2 Oct 2026", or — when the date is only where the app's history starts — "since … or earlier: …". */
export function SinceText({ date, kind }: { date: string; kind: SinceKind }) {
  const { t, fmt } = useI18n();
  const template = {
    recorded: t.customer.sinceDate,
    historyStart: t.customer.sinceHistoryStart,
    reconstructed: t.customer.sinceReconstructed,
  }[kind];
  return (
    <Text as="span" tone="subdued">
      <span data-since-kind={kind}>{fill(template, { date: fmt.date(date) })}</span>
    </Text>
  );
}
