import { useLoaderData } from "@remix-run/react";
import { Badge, IndexTable, Text } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import { IntroTablePage } from "../../components/IntroTablePage";
import type { loadPersonasPage } from "./personas-page.server";

/** Engagement × purchase personas (Klaviyo's grid), from the latest full run's stored counts. */
export function PersonasPage() {
  const data = useLoaderData<typeof loadPersonasPage>();
  const { t, fmt } = useI18n();
  const p = t.personas;
  const source = data.sources.shopify
    ? fill(p.source.shopify, { pixel: data.sources.pixel ? p.source.withPixel : "" })
    : data.sources.pixel
      ? p.source.pixel
      : null;
  return (
    <IntroTablePage
      title={p.title}
      tableId="personas"
      intro={
        <>
          <Text as="p">{fill(p.intro, { line: data.highValueLine ? fmt.money(data.highValueLine) : "—" })}</Text>
          {data.asOf ? (
            <Text as="p" tone="subdued" id="personas-as-of">
              {fill(p.asOf, { date: fmt.date(data.asOf) })}
            </Text>
          ) : (
            <Text as="p" id="personas-no-run">
              {p.noRun}
            </Text>
          )}
          {data.asOf && !data.hasEngagement ? (
            <Text as="p" tone="caution" id="personas-no-engagement">
              {p.noEngagement}
            </Text>
          ) : null}
          {source && data.hasEngagement ? (
            <Text as="p" tone="subdued" id="personas-source">
              {source}
            </Text>
          ) : null}
        </>
      }
    >
      <IndexTable
        resourceName={{ singular: t.common.customer, plural: t.common.customers }}
        itemCount={data.personas.length}
        selectable={false}
        headings={[
          { title: p.colPersona },
          { title: p.colRule },
          { title: p.colCustomers, alignment: "end" },
          { title: p.colShare, alignment: "end" },
        ]}
      >
        {data.personas.map((row, i) => (
          <IndexTable.Row id={row.key} key={row.key} position={i}>
            <IndexTable.Cell>
              <Text as="span" fontWeight="semibold">
                {row.name}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>{p.rules[row.key]}</IndexTable.Cell>
            <IndexTable.Cell>
              {row.customers === null ? (
                data.asOf ? (
                  <Badge>{p.needsEngagement}</Badge>
                ) : (
                  "—"
                )
              ) : (
                <Text as="span" alignment="end" numeric>
                  {fmt.number(row.customers)}
                </Text>
              )}
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {row.share === null ? "—" : fmt.percent(row.share)}
              </Text>
            </IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </IndexTable>
    </IntroTablePage>
  );
}
