import { IndexTable, Link, Text } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import { Sparkline } from "./Sparkline";

export interface SegmentTableRow {
  key: string;
  name: string;
  customers: number;
  shareOfCustomers: number;
  shareOfRevenue: number;
  averageOrderValue: string | null;
  medianRecencyDays: number | null;
  change: number | null;
  trend: { date: string; customers: number }[];
  consent: { email: number; sms: number } | null;
}

/** One row per segment; a click anywhere on the row opens the segment page. */
export function SegmentTable({
  rows,
  id,
  changeSince,
  title,
}: {
  rows: SegmentTableRow[];
  id: string;
  changeSince: string | null;
  title: string;
}) {
  const { t, fmt } = useI18n();
  const consent = rows.some((r) => r.consent !== null);
  const headings = [
    { title },
    { title: t.home.colCustomers, alignment: "end" as const },
    { title: t.home.colShareCustomers, alignment: "end" as const },
    { title: t.home.colShareRevenue, alignment: "end" as const },
    { title: t.home.colAov, alignment: "end" as const },
    { title: t.home.colRecency, alignment: "end" as const },
    {
      title: changeSince ? fill(t.home.colChange, { date: fmt.date(changeSince) }) : t.home.colChangeNoHistory,
      alignment: "end" as const,
    },
    { title: t.home.colTrend },
    ...(consent
      ? [
          { title: t.home.colEmail, alignment: "end" as const },
          { title: t.home.colSms, alignment: "end" as const },
        ]
      : []),
  ] as [{ title: string }, ...{ title: string; alignment?: "end" }[]];
  const count = (n: number | undefined) => (n === undefined ? "—" : fmt.number(n));
  return (
    <div id={id}>
      <IndexTable
        resourceName={{ singular: t.common.customer, plural: t.common.customers }}
        itemCount={rows.length}
        selectable={false}
        headings={headings}
      >
        {rows.map((r, i) => (
          <IndexTable.Row id={r.key} key={r.key} position={i}>
            <IndexTable.Cell>
              <Link url={`/app/segments/${r.key}`} dataPrimaryLink removeUnderline monochrome id={`${id}-${r.key}`}>
                <Text as="span" fontWeight="semibold">
                  {r.name}
                </Text>
              </Link>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {fmt.number(r.customers)}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {fmt.percent(r.shareOfCustomers, 1)}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {fmt.percent(r.shareOfRevenue, 1)}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {r.averageOrderValue === null ? "—" : fmt.money(r.averageOrderValue)}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {r.medianRecencyDays === null ? "—" : fmt.number(Math.round(r.medianRecencyDays))}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text
                as="span"
                alignment="end"
                numeric
                tone={r.change === null || r.change === 0 ? "subdued" : r.change > 0 ? "success" : "critical"}
              >
                {r.change === null ? "—" : fmt.change(r.change)}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Sparkline points={r.trend} id={`${id}-trend-${r.key}`} />
            </IndexTable.Cell>
            {consent && (
              <>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {count(r.consent?.email)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {count(r.consent?.sms)}
                  </Text>
                </IndexTable.Cell>
              </>
            )}
          </IndexTable.Row>
        ))}
      </IndexTable>
    </div>
  );
}
