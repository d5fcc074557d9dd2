import { BlockStack, Text } from "@shopify/polaris";
import { useI18n } from "../../i18n/use-i18n";

interface Cell {
  r: number;
  f: number;
  customers: number;
  revenue: string;
  segment: string;
  name: string;
}

/** R rows (best on top) × F columns, shaded by customers; each cell names its main segment. */
export function RfGrid({ cells, scale }: { cells: Cell[]; scale: number }) {
  const { t, fmt } = useI18n();
  const scores = Array.from({ length: scale }, (_, i) => i + 1);
  const byKey = new Map(cells.map((c) => [`${c.r}:${c.f}`, c]));
  const max = Math.max(1, ...cells.map((c) => c.customers));
  return (
    <BlockStack gap="200">
      <div
        role="table"
        aria-label={t.home.gridTitle}
        id="rf-grid"
        style={{ display: "grid", gridTemplateColumns: `auto repeat(${scale}, minmax(0, 1fr))`, gap: 4 }}
      >
        <div role="row" style={{ display: "contents" }}>
          <div role="columnheader" aria-label={`${t.home.gridRecency} / ${t.home.gridFrequency}`} />
          {scores.map((f) => (
            <div role="columnheader" key={f} style={{ textAlign: "center", fontSize: 12, fontWeight: 600 }}>
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
                  title={c ? `R${r} F${f}: ${c.name}` : undefined}
                  style={{
                    background: c ? `rgba(0, 91, 211, ${intensity.toFixed(3)})` : "var(--p-color-bg-surface-secondary)",
                    color: intensity > 0.5 ? "#fff" : "var(--p-color-text)",
                    borderRadius: 8,
                    padding: "6px 6px",
                    minWidth: 0,
                    minHeight: 58,
                    fontSize: 12,
                    lineHeight: 1.3,
                  }}
                >
                  {c && (
                    <>
                      <div style={{ fontWeight: 600 }}>{fmt.number(c.customers)}</div>
                      <div>{fmt.moneyShort(c.revenue)}</div>
                      <div
                        style={{ opacity: 0.85, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}
                      >
                        {c.name}
                      </div>
                    </>
                  )}
                </div>
              );
            })}
          </div>
        ))}
      </div>
      <Text as="p" variant="bodySm" tone="subdued">
        {t.home.gridRecency} ↑ · {t.home.gridFrequency} →. {t.home.gridHelp}
      </Text>
    </BlockStack>
  );
}
