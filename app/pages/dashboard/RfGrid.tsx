import { Link as RemixLink } from "@remix-run/react";
import { BlockStack, Link, Text } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import type { DashboardData } from "./dashboard-data";

type Cell = DashboardData["grid"][number];

/**
 * R rows (best on top) × F columns, shaded by customers; each cell names its main segment and opens that
 * segment's customers in the cell.
 */
export function RfGrid({
  cells,
  scale,
  emptyFrequency,
}: {
  cells: Cell[];
  scale: number;
  emptyFrequency: DashboardData["emptyFrequency"];
}) {
  const { t, fmt } = useI18n();
  const scores = Array.from({ length: scale }, (_, i) => i + 1);
  const byKey = new Map(cells.map((c) => [`${c.r}:${c.f}`, c]));
  const max = Math.max(1, ...cells.map((c) => c.customers));
  const empty = new Set(emptyFrequency?.scores ?? []);
  return (
    <BlockStack gap="200">
      <div style={{ overflowX: "auto" }}>
        <div
          role="table"
          aria-label={t.home.gridTitle}
          id="rf-grid"
          style={{ display: "grid", gridTemplateColumns: `auto repeat(${scale}, minmax(68px, 1fr))`, gap: 4 }}
        >
          <div role="row" style={{ display: "contents" }}>
            <div role="columnheader" aria-label={`${t.home.gridRecency} / ${t.home.gridFrequency}`} />
            {scores.map((f) => (
              <div
                role="columnheader"
                key={f}
                style={{
                  textAlign: "center",
                  fontSize: 12,
                  fontWeight: 600,
                  color: empty.has(f) ? "var(--p-color-text-secondary)" : undefined,
                }}
              >
                F {f}
              </div>
            ))}
          </div>
          {[...scores].reverse().map((r) => (
            <div role="row" key={r} style={{ display: "contents" }}>
              <div role="rowheader" style={{ fontSize: 12, fontWeight: 600, alignSelf: "center", paddingRight: 8 }}>
                R {r}
              </div>
              {scores.map((f) => {
                const c = byKey.get(`${r}:${f}`);
                const intensity = c ? 0.08 + 0.72 * (c.customers / max) : 0;
                return (
                  <div
                    role="cell"
                    key={f}
                    id={`rf-${r}-${f}`}
                    style={{
                      background: c
                        ? `rgba(0, 91, 211, ${intensity.toFixed(3)})`
                        : "var(--p-color-bg-surface-secondary)",
                      color: intensity > 0.5 ? "#fff" : "var(--p-color-text)",
                      borderRadius: 8,
                      minWidth: 0,
                      minHeight: 58,
                      fontSize: 12,
                      lineHeight: 1.3,
                    }}
                  >
                    {c && <CellLink c={c} />}
                  </div>
                );
              })}
            </div>
          ))}
        </div>
      </div>
      <Text as="p" variant="bodySm" tone="subdued">
        {t.home.gridRecency} ↑ · {t.home.gridFrequency} →. {t.home.gridHelp} {t.home.gridLinkHelp}
      </Text>
      {emptyFrequency && (
        <Text as="p" variant="bodySm" id="rf-empty-f">
          {fill(t.home.gridEmptyF, {
            scores: emptyFrequency.scores.map((f) => `F ${f}`).join(", "),
            share: fmt.percent(emptyFrequency.share),
            orders: fmt.number(emptyFrequency.orders),
          })}{" "}
          <Link url="/app/settings#setting-frequency-mode" id="rf-empty-f-settings">
            {t.home.gridEmptyFLink}
          </Link>
        </Text>
      )}
    </BlockStack>
  );
}

function CellLink({ c }: { c: Cell }) {
  const { t, fmt } = useI18n();
  const others = c.segments.filter((s) => s.segment !== c.segment);
  const label = fill(t.home.gridCellLabel, {
    r: c.r,
    f: c.f,
    customers: fmt.number(c.customers),
    revenue: fmt.money(c.revenue),
    segment: c.name,
  });
  const title =
    others.length > 0
      ? `${label}. ${fill(t.home.gridCellOthers, { others: others.map((s) => `${s.name} (${fmt.number(s.customers)})`).join(", ") })}`
      : label;
  return (
    <RemixLink
      to={c.url}
      aria-label={title}
      title={title}
      id={`rf-link-${c.r}-${c.f}`}
      style={{ display: "block", height: "100%", padding: 6, color: "inherit", textDecoration: "none" }}
    >
      <div style={{ fontWeight: 600 }}>{fmt.number(c.customers)}</div>
      <div>{fmt.moneyShort(c.revenue)}</div>
      <div style={{ opacity: 0.85, overflowWrap: "normal", hyphens: "manual" }}>{c.name}</div>
    </RemixLink>
  );
}
