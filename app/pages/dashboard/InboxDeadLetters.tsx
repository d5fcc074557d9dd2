import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Layout, Text } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import type { DeadLetterSummary } from "../../pipeline/ingest/inbox/dead-letters.server";

/** Webhook events the app set aside after failing to apply them: how many, which, why, and a Retry. */
export function InboxDeadLetters({ summary }: { summary: DeadLetterSummary }) {
  const { t, fmt } = useI18n();
  const fetcher = useFetcher();
  if (summary.count === 0) return null;
  const more = summary.count - summary.events.length;
  return (
    <Layout.Section>
      <div id="inbox-dead-letters">
        <Banner tone="critical" title={t.inbox.title}>
          <BlockStack gap="200">
            <Text as="p">{fill(t.inbox.summary, { n: fmt.number(summary.count) })}</Text>
            <ul>
              {summary.events.map((e) => (
                <li key={e.seq} data-seq={e.seq}>
                  <Text as="span" fontWeight="semibold">
                    {e.topic}
                  </Text>{" "}
                  · {fmt.dateTime(e.receivedAt)} · {e.error ?? t.inbox.noError}
                </li>
              ))}
            </ul>
            {more > 0 && <Text as="p">{fill(t.inbox.more, { n: fmt.number(more) })}</Text>}
            <fetcher.Form method="post" action="/app/inbox/replay">
              <Button submit size="slim" loading={fetcher.state !== "idle"}>
                {t.inbox.retry}
              </Button>
            </fetcher.Form>
          </BlockStack>
        </Banner>
      </div>
    </Layout.Section>
  );
}
