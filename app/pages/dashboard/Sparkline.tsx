import { fill, useI18n } from "../../i18n/use-i18n";

const W = 84;
const H = 22;

/** A segment's weekly sizes as a small line (drawn on the server too: no chart library, no layout shift). */
export function Sparkline({ points, id }: { points: { date: string; customers: number }[]; id: string }) {
  const { t, fmt } = useI18n();
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last || points.length < 2)
    return (
      <span title={t.home.trendNone} id={id}>
        —
      </span>
    );
  const max = Math.max(...points.map((p) => p.customers));
  const min = Math.min(...points.map((p) => p.customers));
  const span = Math.max(1, max - min);
  const xy = points.map((p, i) => [
    (i / (points.length - 1)) * (W - 4) + 2,
    H - 2 - ((p.customers - min) / span) * (H - 4),
  ]);
  const label = fill(t.home.trendLabel, {
    from: fmt.number(first.customers),
    start: fmt.date(first.date),
    to: fmt.number(last.customers),
  });
  const end = xy[xy.length - 1] ?? [0, 0];
  return (
    <svg
      width={W}
      height={H}
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={label}
      id={id}
      data-points={points.map((p) => p.customers).join(",")}
    >
      <title>{label}</title>
      <polyline
        points={xy.map(([x, y]) => `${(x ?? 0).toFixed(1)},${(y ?? 0).toFixed(1)}`).join(" ")}
        fill="none"
        stroke="var(--p-color-border-emphasis)"
        strokeWidth={1.5}
        strokeLinejoin="round"
      />
      <circle cx={end[0]} cy={end[1]} r={2} fill="var(--p-color-icon-emphasis)" />
    </svg>
  );
}
