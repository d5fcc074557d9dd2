import type { SyncProgress } from "../pipeline/ingest/bulk-sync.server";

const nf = new Intl.NumberFormat("en-US");

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m}m ${Math.ceil(seconds % 60)}s` : `${Math.floor(m / 60)}h ${m % 60}m`;
}

/** One line of terminal progress: bar, counts, rate, ETA and phase. */
export function progressLine(p: SyncProgress, width = 30): string {
  const fraction = p.ordersExpected
    ? Math.min(1, p.ordersIngested / p.ordersExpected)
    : p.status === "completed"
      ? 1
      : 0;
  const filled = Math.round(fraction * width);
  const bar = `[${"#".repeat(filled)}${".".repeat(width - filled)}]`;
  const counts = `${nf.format(p.ordersIngested)}/${p.ordersExpected === null ? "?" : nf.format(p.ordersExpected)} orders`;
  const rate = p.ordersPerSecond ? ` · ${nf.format(Math.round(p.ordersPerSecond))}/s` : "";
  const eta = p.etaSeconds !== null ? ` · ETA ${duration(p.etaSeconds)}` : "";
  return `${bar} ${String(Math.round(fraction * 100)).padStart(3)}% ${counts}${rate}${eta} · ${p.phase ?? p.status}`;
}
