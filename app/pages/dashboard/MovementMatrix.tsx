import { BlockStack, InlineStack, Text } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import { moveDirection, type MoveDirection } from "../../domain/rfm/first-screen";

/** Upgrades green, downgrades orange, sideways and in/out of the scores grey: an upgrade is never red. */
const TINT: Record<MoveDirection, [number, number, number] | null> = {
  up: [4, 123, 93],
  down: [229, 120, 0],
  same: [97, 106, 117],
  new: [97, 106, 117],
  gone: [97, 106, 117],
};
const tint = (d: MoveDirection, strength: number) => {
  const c = TINT[d];
  return c ? `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${strength.toFixed(3)})` : undefined;
};

interface Move {
  from: string | null;
  to: string | null;
  fromName: string | null;
  toName: string | null;
  customers: number;
}

/** Segment on the start date (rows) × segment now (columns); the diagonal is who stayed, colours tell up from down. */
export function MovementMatrix({
  moves,
  order,
  from,
}: {
  moves: Move[];
  order: { key: string; name: string }[];
  from: string;
}) {
  const { t, fmt } = useI18n();
  const present = new Set(moves.flatMap((m) => [m.from, m.to]));
  const keys = order.filter((o) => present.has(o.key));
  const rows = [...keys, ...(present.has(null) ? [{ key: null, name: t.home.movementNew }] : [])];
  const cols = [...keys, ...(present.has(null) ? [{ key: null, name: t.home.movementGone }] : [])];
  const count = new Map(moves.map((m) => [`${m.from}>${m.to}`, m.customers]));
  const max = Math.max(1, ...moves.filter((m) => m.from !== m.to).map((m) => m.customers));
  const top = moves.filter((m) => m.from !== m.to && m.from !== null && m.to !== null).slice(0, 5);
  const cell: React.CSSProperties = {
    padding: "4px 4px",
    textAlign: "right",
    fontSize: 12,
    borderBottom: "1px solid var(--p-color-border-secondary)",
  };
  return (
    <BlockStack gap="300">
      <Text as="p" variant="bodySm" tone="subdued">
        {fill(t.home.movementHelp, { from: fmt.date(from) })}
      </Text>
      <div style={{ overflowX: "auto" }}>
        <table id="movement-matrix" style={{ borderCollapse: "collapse", width: "100%" }}>
          <thead>
            <tr>
              <th />
              {cols.map((c) => (
                <th
                  key={String(c.key)}
                  scope="col"
                  style={{
                    ...cell,
                    fontWeight: 600,
                    fontSize: 11,
                    lineHeight: 1.25,
                    textAlign: "right",
                    verticalAlign: "bottom",
                    // Broken between words only (never "Champio-ns"): the longest word sets the column's width.
                    overflowWrap: "normal",
                    hyphens: "manual",
                  }}
                >
                  {c.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={String(r.key)}>
                <th scope="row" style={{ ...cell, textAlign: "left", fontWeight: 600, minWidth: 96 }}>
                  {r.name}
                </th>
                {cols.map((c) => {
                  const n = count.get(`${r.key}>${c.key}`) ?? 0;
                  const stay = r.key === c.key;
                  const direction = moveDirection(r.key, c.key);
                  return (
                    <td
                      key={String(c.key)}
                      data-direction={stay ? "stay" : direction}
                      style={{
                        ...cell,
                        background: n > 0 && !stay ? tint(direction, 0.08 + 0.5 * (n / max)) : undefined,
                        color: stay ? "var(--p-color-text-secondary)" : undefined,
                      }}
                    >
                      {n > 0 ? fmt.number(n) : ""}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div id="movement-legend">
        <InlineStack gap="400">
          {(
            [
              ["up", t.home.movementLegendUp],
              ["down", t.home.movementLegendDown],
              ["same", t.home.movementLegendSide],
            ] as const
          ).map(([d, label]) => (
            <InlineStack key={d} gap="100" blockAlign="center">
              <span
                aria-hidden
                style={{ width: 12, height: 12, borderRadius: 3, display: "inline-block", background: tint(d, 0.5) }}
              />
              <Text as="span" variant="bodySm">
                {label}
              </Text>
            </InlineStack>
          ))}
        </InlineStack>
      </div>
      {top.length > 0 ? (
        <BlockStack gap="100">
          <Text as="h3" variant="headingSm">
            {t.home.topMoves}
          </Text>
          <ul id="top-moves" style={{ margin: 0, paddingLeft: 20 }}>
            {top.map((m) => (
              <li key={`${m.from}>${m.to}`}>
                {m.fromName} → {m.toName}: {fmt.number(m.customers)}
              </li>
            ))}
          </ul>
        </BlockStack>
      ) : (
        <Text as="p">{t.home.movementNone}</Text>
      )}
    </BlockStack>
  );
}
