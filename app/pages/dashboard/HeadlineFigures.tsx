import { BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import type { DashboardData } from "./dashboard-data";

function Figure({ id, label, value, help }: { id: string; label: string; value: string; help: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h2" variant="bodySm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingLg" numeric id={id}>
          {value}
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {help}
        </Text>
      </BlockStack>
    </Card>
  );
}

/** The answer first: how many customers are scored, what the best bring, what is slipping away, who moved down. */
export function HeadlineFigures({
  d,
  headline,
  run,
}: {
  d: DashboardData;
  headline: NonNullable<DashboardData["headline"]>;
  run: NonNullable<DashboardData["run"]>;
}) {
  const { t, fmt } = useI18n();
  const names = d.headlineNames;
  const total = Number(run.revenue);
  return (
    <div id="headline">
      <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
        <Figure
          id="headline-customers"
          label={t.home.headlineCustomers}
          value={fmt.number(headline.customers)}
          help={fill(t.home.headlineCustomersHelp, { date: fmt.date(run.asOf) })}
        />
        <Figure
          id="headline-best"
          label={fill(t.home.headlineBest, { a: names.best[0] ?? "", b: names.best[1] ?? "" })}
          value={fmt.money(headline.bestRevenue)}
          help={fill(t.home.headlineBestHelp, {
            share: fmt.percent(total > 0 ? Number(headline.bestRevenue) / total : 0),
          })}
        />
        <Figure
          id="headline-at-risk"
          label={t.home.headlineAtRisk}
          value={fmt.money(headline.atRiskRevenue)}
          help={fill(t.home.headlineAtRiskHelp, { segments: names.atRisk.join(", ") })}
        />
        <Figure
          id="headline-moved-down"
          label={t.home.headlineMovedDown}
          value={headline.movedDown === null ? "—" : fmt.number(headline.movedDown)}
          help={
            headline.movedDown === null || !d.movementFrom
              ? t.home.headlineMovedDownNoHistory
              : fill(t.home.headlineMovedDownHelp, { date: fmt.date(d.movementFrom) })
          }
        />
      </InlineGrid>
    </div>
  );
}
