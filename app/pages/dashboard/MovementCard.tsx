import { BlockStack, Card, Text } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import { MovementMatrix } from "./MovementMatrix";
import type { DashboardData } from "./dashboard-data";

/** Who moved from which segment to which since movementFrom, when the history reaches back that far. */
export function MovementCard({ d, run }: { d: DashboardData; run: NonNullable<DashboardData["run"]> }) {
  const { t, fmt } = useI18n();
  const order = [...d.segments.map((s) => ({ key: s.key as string, name: s.name }))];
  return (
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
            {fill(t.home.movementNoHistory, { date: fmt.date(d.historyStart ?? run.asOf) })}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
