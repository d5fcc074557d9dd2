import { IndexTable, Link, Text, type IndexTableProps } from "@shopify/polaris";

type NonEmptyArray<T> = [T, ...T[]];
type IndexTableHeading = IndexTableProps["headings"][number];
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
  // Headings wrap between words (Polaris keeps them on one line): at the admin's 1 280 px every column fits.
  const heading = (text: string, key: string, alignment?: "end") => ({
    id: `${id}-col-${key}`,
    title: <span style={{ whiteSpace: "normal", display: "block" }}>{text}</span>,
    ...(alignment ? { alignment } : {}),
  });
  const headings: NonEmptyArray<IndexTableHeading> = [
    heading(title, "name"),
    heading(t.home.colCustomers, "customers", "end"),
    heading(t.home.colShareCustomers, "share-customers", "end"),
    heading(t.home.colShareRevenue, "share-revenue", "end"),
    heading(t.home.colAov, "aov", "end"),
    heading(t.home.colRecency, "recency", "end"),
    heading(
      changeSince ? fill(t.home.colChange, { date: fmt.date(changeSince) }) : t.home.colChangeNoHistory,
      "change",
      "end",
    ),
    heading(t.home.colTrend, "trend"),
    ...(consent ? [heading(t.home.colEmail, "email", "end"), heading(t.home.colSms, "sms", "end")] : []),
  ];
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
                <span style={{ whiteSpace: "normal", display: "inline-block", minWidth: 96 }}>
                  <Text as="span" fontWeight="semibold">
                    {r.name}
                  </Text>
                </span>
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
