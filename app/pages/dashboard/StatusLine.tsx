import { useEffect, useRef, useState } from "react";
import { Badge, BlockStack, Button, Card, Collapsible, InlineStack, Text } from "@shopify/polaris";
import { useI18n } from "../../i18n/use-i18n";
import type { DashboardData, DashboardPageData } from "./dashboard-data";
import { ShopFacts } from "./ShopCard";
import { StatusCard } from "./StatusCard";

const SYNC_RUNNING = ["pending", "running", "ingesting", "aggregating"];

/**
 * The shop and the pipeline in one line (one badge per phase); the details — progress, counts, errors and the
 * retry buttons — expand below it, and open by themselves while nothing is scored yet or something failed.
 */
export function StatusLine({ shop, d, now }: { shop: DashboardPageData; d: DashboardData; now: number }) {
  const { t } = useI18n();
  const sync = d.sync.current;
  const alarm =
    d.run === null ||
    sync?.status === "failed" ||
    Boolean(sync?.limitedTo60Days) ||
    d.scoring.state === "failed" ||
    d.scoring.state === "interrupted" ||
    d.writeBack.state === "failed" ||
    d.writeBack.state === "interrupted" ||
    d.writeBack.refused > 0;
  const [open, setOpen] = useState(alarm);
  useEffect(() => {
    if (alarm) setOpen(true);
  }, [alarm]);
  // Closed, the details stay in the page (printing shows them) but out of reach of focus and screen readers.
  const details = useRef<HTMLDivElement>(null);
  useEffect(() => {
    details.current?.toggleAttribute("inert", !open);
  }, [open]);

  type Tone = "success" | "info" | "critical" | "attention";
  const badge = (label: string, tone: Tone, id: string) => (
    <span id={id}>
      <Badge tone={tone}>{label}</Badge>
    </span>
  );
  const syncTone: Tone =
    sync?.status === "failed" ? "critical" : sync && SYNC_RUNNING.includes(sync.status) ? "info" : "success";
  const phaseTone = (s: DashboardData["scoring"]["state"]): Tone =>
    s === "failed"
      ? "critical"
      : s === "interrupted"
        ? "attention"
        : s === "running" || s === "queued"
          ? "info"
          : "success";
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="300">
          <InlineStack gap="300" blockAlign="center">
            <Text as="h2" variant="headingSm" id="shop-name">
              {shop.name}
            </Text>
            {badge(t.home.syncTitle, syncTone, "status-line-sync")}
            {badge(t.home.scoringTitle, phaseTone(d.scoring.state), "status-line-scoring")}
            {badge(t.home.writeBackTitle, phaseTone(d.writeBack.state), "status-line-write-back")}
          </InlineStack>
          <Button
            variant="plain"
            disclosure={open ? "up" : "down"}
            onClick={() => setOpen((o) => !o)}
            ariaExpanded={open}
            ariaControls="status-details"
            id="status-toggle"
          >
            {open ? t.home.statusHide : t.home.statusShow}
          </Button>
        </InlineStack>
        <Collapsible id="status-details" open={open} expandOnPrint transition={{ duration: "150ms" }}>
          <div ref={details}>
            <BlockStack gap="400">
              <StatusCard d={d} now={now} />
              <ShopFacts shop={shop} />
            </BlockStack>
          </div>
        </Collapsible>
      </BlockStack>
    </Card>
  );
}
