import { useState } from "react";
import { Form, useSearchParams } from "@remix-run/react";
import {
  BlockStack,
  Box,
  Button,
  IndexTable,
  type IndexTableProps,
  InlineStack,
  Link,
  Pagination,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import { CustomerEmail, CustomerName } from "../../components/CustomerName";
import { isWithheld } from "../../components/CustomerDataBanner";
import type { SegmentPageData } from "./segment-data";

const SORTS = ["spend", "recency", "orders"] as const;

type IndexTableHeading = IndexTableProps["headings"][number];

// The table fits its card at 1 280 px in either language: long headings wrap (Polaris keeps them on one line) and
// long emails end in "…" (the whole address in the tooltip), instead of the last columns scrolling out of sight.
const EMAIL_CELL = {
  display: "block",
  maxWidth: "14rem",
  overflow: "hidden",
  textOverflow: "ellipsis",
  whiteSpace: "nowrap",
} as const;
const wrapping = (id: string, title: string, alignment?: "end"): IndexTableHeading => ({
  id,
  title: <span style={{ whiteSpace: "normal", display: "inline-block", maxWidth: "7rem" }}>{title}</span>,
  alignment,
});

/** The segment's customers: search, sort, subscribed-only, and pages by cursor. */
export function CustomerList({ data }: { data: SegmentPageData }) {
  const { t, fmt } = useI18n();
  const [params] = useSearchParams();
  const [q, setQ] = useState(data.query.q);
  const [sort, setSort] = useState(`${data.query.sort}:${data.query.dir}`);
  const [subscribed, setSubscribed] = useState(data.query.subscribed ?? "");
  const namesWithheld = isWithheld(data.customerData, "name");
  const emailsWithheld = isWithheld(data.customerData, "email");
  const [s, dir] = sort.split(":");
  const pageUrl = (cursor: Record<string, string>) => {
    const next = new URLSearchParams(params);
    next.delete("after");
    next.delete("before");
    for (const [k, v] of Object.entries(cursor)) next.set(k, v);
    return `?${next.toString()}`;
  };
  const sorts = data.predictions ? (["spend", "recency", "orders", "predicted"] as const) : SORTS;
  const sortOptions = sorts.flatMap((k) => {
    const label = {
      spend: t.segment.sortSpend,
      recency: t.segment.sortRecency,
      orders: t.segment.sortOrders,
      predicted: t.segment.sortPredicted,
    }[k];
    return [
      { label: `${label} (${t.segment.desc})`, value: `${k}:desc` },
      { label: `${label} (${t.segment.asc})`, value: `${k}:asc` },
    ];
  });
  return (
    <BlockStack gap="300">
      <Box paddingInline="400" paddingBlockStart="400">
        <Form method="get" id="customer-search">
          <input type="hidden" name="sort" value={s} />
          <input type="hidden" name="dir" value={dir} />
          {subscribed && <input type="hidden" name="subscribed" value={subscribed} />}
          {data.query.cell && (
            <>
              <input type="hidden" name="r" value={data.query.cell.r} />
              <input type="hidden" name="f" value={data.query.cell.f} />
            </>
          )}
          <InlineStack gap="300" blockAlign="end" wrap={false}>
            <div style={{ flex: 1 }}>
              <TextField
                label={t.segment.search}
                name="q"
                value={q}
                onChange={setQ}
                autoComplete="off"
                clearButton
                onClearButtonClick={() => setQ("")}
                id="customer-q"
              />
            </div>
            <Select label={t.segment.sort} options={sortOptions} value={sort} onChange={setSort} id="customer-sort" />
            <Select
              label={t.segment.filterConsent}
              options={[
                { label: t.segment.filterAll, value: "" },
                { label: t.segment.filterEmail, value: "email" },
                { label: t.segment.filterSms, value: "sms" },
              ]}
              value={subscribed}
              onChange={setSubscribed}
              id="customer-subscribed"
            />
            <Button submit id="customer-apply">
              {t.segment.searchButton}
            </Button>
          </InlineStack>
        </Form>
        {data.query.cell && (
          <Box paddingBlockStart="200">
            <Text as="p" variant="bodySm" id="customer-cell-filter">
              {fill(t.segment.cellFilter, data.query.cell)}{" "}
              <Link url={`/app/segments/${data.key}`}>{t.segment.cellFilterClear}</Link>
            </Text>
          </Box>
        )}
      </Box>
      <div id="segment-customers">
        <IndexTable
          resourceName={{ singular: t.common.customer, plural: t.common.customers }}
          itemCount={data.customers.length}
          selectable={false}
          emptyState={
            <Box padding="400">
              <Text as="p">{t.segment.noCustomers}</Text>
            </Box>
          }
          headings={
            [
              { title: t.segment.colName },
              { title: t.segment.colEmail },
              wrapping("consent", t.segment.colConsent),
              wrapping("orders", t.segment.colOrders, "end"),
              wrapping("spend", t.segment.colSpend, "end"),
              wrapping("last-order", t.segment.colLastOrder, "end"),
              ...(data.predictions ? [wrapping("predicted", t.segment.colPredicted, "end")] : []),
              { title: t.segment.colRfm, alignment: "end" as const },
              { title: "" },
            ] as [IndexTableHeading, ...IndexTableHeading[]]
          }
        >
          {data.customers.map((c, i) => (
            <IndexTable.Row id={c.customerId} key={c.customerId} position={i}>
              <IndexTable.Cell>
                <CustomerName
                  id={c.customerId}
                  name={c.name}
                  url={`/app/customers/${c.customerId}`}
                  withheld={namesWithheld}
                />
              </IndexTable.Cell>
              <IndexTable.Cell>
                <span style={EMAIL_CELL} title={c.email ?? undefined}>
                  <CustomerEmail email={c.email} withheld={emailsWithheld} />
                </span>
              </IndexTable.Cell>
              <IndexTable.Cell>
                {[c.acceptsEmail && t.segment.channelEmail, c.acceptsSms && t.segment.channelSms]
                  .filter(Boolean)
                  .join(" · ") || "—"}
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {fmt.number(c.orders)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {fmt.money(c.netSpend)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {fmt.date(c.lastOrderDate)}
                </Text>
              </IndexTable.Cell>
              {data.predictions && (
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {c.predictedValue12m === null ? "—" : fmt.money(c.predictedValue12m)}
                  </Text>
                </IndexTable.Cell>
              )}
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {`${c.r}${c.f}${c.m}`}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <span style={{ whiteSpace: "normal" }}>
                  <Link url={c.adminUrl} target="_blank">
                    {t.common.openInShopify}
                  </Link>
                </span>
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      </div>
      <Box paddingBlockEnd="400">
        <InlineStack align="center">
          <Pagination
            hasPrevious={data.previous !== null}
            previousURL={data.previous ? pageUrl({ before: data.previous }) : undefined}
            hasNext={data.next !== null}
            nextURL={data.next ? pageUrl({ after: data.next }) : undefined}
          />
        </InlineStack>
      </Box>
    </BlockStack>
  );
}
