import type { Formatters } from "../../i18n/format";
import type { Messages } from "../../i18n/messages";
import { fill } from "../../i18n/use-i18n";

/** What the sync's progress line says, before wording: never "0 of 0 orders" for a sync that found nothing. */
export type SyncLine =
  | { kind: "exporting" }
  | { kind: "progress"; done: number; total: number | null }
  | { kind: "synced"; orders: number }
  | { kind: "noneSince"; since: string }
  | { kind: "none" };

const RUNNING = ["pending", "running", "ingesting", "aggregating"];

export function syncLine(sync: {
  status: string;
  ordersExpected: number | null;
  ordersIngested: number;
  updatedSince: string | Date | null;
}): SyncLine {
  if (RUNNING.includes(sync.status))
    return sync.ordersExpected === null && sync.ordersIngested === 0
      ? { kind: "exporting" }
      : { kind: "progress", done: sync.ordersIngested, total: sync.ordersExpected };
  if (sync.status === "completed") {
    if (sync.ordersIngested > 0) return { kind: "synced", orders: sync.ordersIngested };
    return sync.updatedSince
      ? { kind: "noneSince", since: new Date(sync.updatedSince).toISOString() }
      : { kind: "none" };
  }
  return { kind: "progress", done: sync.ordersIngested, total: sync.ordersExpected };
}

export function syncLineText(line: SyncLine, t: Messages, fmt: Formatters): string {
  switch (line.kind) {
    case "exporting":
      return t.home.syncExporting;
    case "progress":
      return fill(t.home.syncCounts, {
        done: fmt.number(line.done),
        total: line.total === null ? "?" : fmt.number(line.total),
      });
    case "synced":
      return fill(t.home.syncSynced, { n: fmt.number(line.orders) });
    case "noneSince":
      return fill(t.home.syncNoneSince, { date: fmt.dateTime(line.since) });
    case "none":
      return t.home.syncNoOrders;
  }
}
