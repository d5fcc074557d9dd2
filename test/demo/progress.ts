// The demo's progress summary: what the app has done for the demo shop, read from the database the app writes
// (the dashboard's own sources: SyncRun, ScoringRun, WriteBackRun), one line per milestone.
import type { Db } from "../../app/platform/db.server";

export interface Progress {
  /** Milestones reached since the last look, in order, each reported once. */
  lines: string[];
  /** What is under way right now (a backfill's order count), for a status line that is rewritten in place. */
  status: string | null;
  /** The first write-back finished (or failed): the dashboard shows the segments. */
  settled: boolean;
}

const n = (x: number) => x.toLocaleString("en-US");
const seconds = (from: Date, to: Date) => `${Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000))} s`;

/** Looks at the shop's rows; `look()` answers what changed since the previous look. */
export function progressOf(db: Db, shop: string) {
  const said = new Set<string>();
  const once = (key: string, line: string, out: string[]) => {
    if (said.has(key)) return;
    said.add(key);
    out.push(line);
  };
  return async function look(): Promise<Progress> {
    const lines: string[] = [];
    let status: string | null = null;
    const row = await db.shop.findUnique({ where: { shop }, select: { installedAt: true } });
    if (!row) return { lines, status: null, settled: false };
    once("installed", "opened: the app is installed; importing the order history", lines);

    const sync = await db.syncRun.findFirst({ where: { shop, kind: "backfill" }, orderBy: { startedAt: "desc" } });
    if (sync?.status === "completed" && sync.finishedAt) {
      once(
        "backfill",
        `backfill done: ${n(sync.ordersIngested)} orders in ${seconds(sync.startedAt, sync.finishedAt)}; scoring`,
        lines,
      );
    } else if (sync?.status === "failed") {
      once("backfill-failed", `backfill failed: ${sync.message ?? sync.errorCode ?? "see the log"}`, lines);
    } else if (sync) {
      const of = sync.ordersExpected === null ? "" : ` of ${n(sync.ordersExpected)}`;
      status = `backfill: ${n(sync.ordersIngested)}${of} orders (${sync.phase ?? sync.status})`;
    }

    const run = await db.scoringRun.findFirst({
      where: { shop, kind: "full", finishedAt: { not: null } },
      orderBy: { id: "asc" },
    });
    if (run?.finishedAt)
      once(
        "scored",
        `scoring done: ${n(run.customers)} customers in segments in ${seconds(run.startedAt, run.finishedAt)}; writing back to Shopify`,
        lines,
      );
    else if (sync?.status === "completed") status = "scoring…";

    const writeBack = run
      ? await db.writeBackRun.findFirst({
          where: { shop, startedAt: { gte: run.startedAt }, phase: { in: ["done", "failed"] } },
          orderBy: { id: "asc" },
        })
      : null;
    if (writeBack?.phase === "done" && writeBack.finishedAt)
      once(
        "written",
        `write-back done: tags on ${n(writeBack.tagCustomers ?? 0)} customers, metafields on ` +
          `${n(writeBack.metafieldCustomers ?? 0)}, ${n(writeBack.segmentsChanged ?? 0)} Shopify segments, ` +
          `in ${seconds(writeBack.startedAt, writeBack.finishedAt)}`,
        lines,
      );
    else if (writeBack?.phase === "failed")
      once("write-back-failed", `write-back failed: ${writeBack.message ?? "see the log"}`, lines);
    else if (run) status = "writing back to Shopify…";
    return { lines, status, settled: Boolean(writeBack) };
  };
}
