import type { Db } from "../../platform/db.server";
import { queryRows } from "../../platform/db/sql.server";
import type { Logger } from "../../platform/logger.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { writeBackTags, type TagWriteBackOutcome } from "./tags.server";
import { writeBackMetafields, type MetafieldWriteBackOutcome } from "./metafields.server";
import { syncShopifySegments, type SegmentSyncOutcome } from "./shopify-segments.server";

export interface WriteBackOutcome {
  scope: "full" | "changed";
  tags: TagWriteBackOutcome;
  metafields: MetafieldWriteBackOutcome;
  segments: SegmentSyncOutcome;
}

/** Scores written by a re-score commit within seconds; this overlap covers the slow ones. */
const OVERLAP_MS = 5 * 60_000;
/** At least this often every customer is compared, whatever happened. */
const FULL_EVERY_MS = 24 * 3_600_000;

/**
 * Whether this write-back must compare every customer, or only those
 * re-scored since the last one: everyone after a full scoring run, a settings
 * change, a run with refused lines, and at least daily.
 */
async function scopeOf(db: Db, shop: string, now: Date): Promise<Date | null> {
  const [shopRow, settings, fullRun] = await Promise.all([
    db.shop.findUnique({ where: { shop }, select: { writeBackAt: true, writeBackFullAt: true } }),
    db.shopSettings.findUnique({ where: { shop }, select: { updatedAt: true } }),
    db.scoringRun.findFirst({
      where: { shop, kind: "full", finishedAt: { not: null } },
      orderBy: { id: "desc" },
      select: { finishedAt: true },
    }),
  ]);
  const last = shopRow?.writeBackAt;
  if (!last || !shopRow.writeBackFullAt) return null;
  if (now.getTime() - shopRow.writeBackFullAt.getTime() > FULL_EVERY_MS) return null;
  if (settings && settings.updatedAt >= last) return null;
  if (fullRun?.finishedAt && fullRun.finishedAt >= last) return null;
  return new Date(last.getTime() - OVERLAP_MS);
}

/**
 * Everything the app writes to Shopify after scoring, in dependency order:
 * tags (segments filter on them), metafields, then the Shopify segments.
 */
export async function runWriteBack(
  deps: { db: Db; admin: AdminClient; logger: Logger; sleepReal?: (ms: number) => Promise<void> },
  shop: string,
  options: { pollMs?: number; full?: boolean } = {},
): Promise<WriteBackOutcome> {
  const [clock] = await queryRows(deps.db, "pipeline/write-back/database-clock.sql");
  const startedAt = clock?.now ?? new Date();
  const since = options.full ? null : await scopeOf(deps.db, shop, startedAt);
  const run = await deps.db.writeBackRun.create({
    data: { shop, scope: since === null ? "full" : "changed", phase: "tags" },
  });
  const record = (data: Parameters<Db["writeBackRun"]["update"]>[0]["data"]) =>
    deps.db.writeBackRun.update({ where: { shop_id: { shop, id: run.id } }, data });
  let tags: TagWriteBackOutcome, metafields: MetafieldWriteBackOutcome, segments: SegmentSyncOutcome;
  // Milliseconds per phase, in the log line: where a slow live write-back spends its time.
  const ms = { tags: 0, metafields: 0, segments: 0 };
  let mark = performance.now();
  const lap = (phase: keyof typeof ms) => {
    const now = performance.now();
    ms[phase] = Math.round(now - mark);
    mark = now;
  };
  try {
    tags = await writeBackTags(deps, shop, { ...options, since });
    lap("tags");
    await record({ phase: "metafields", tagCustomers: tags.customersChanged });
    metafields = await writeBackMetafields(deps, shop, { ...options, since });
    lap("metafields");
    await record({ phase: "segments", metafieldCustomers: metafields.customersChanged });
    segments = await syncShopifySegments(deps, shop);
    lap("segments");
  } catch (error) {
    await record({
      phase: "failed",
      finishedAt: new Date(),
      message: error instanceof Error ? error.message : String(error),
    });
    throw error;
  }
  const refused = tags.failures.length + metafields.failures.length;
  await record({
    phase: "done",
    finishedAt: new Date(),
    refused,
    segmentsChanged: segments.created + segments.updated + segments.deleted,
  });
  // Refused lines stay different with an old score: only a full comparison finds them again.
  await deps.db.shop.updateMany({
    where: { shop },
    data:
      refused > 0
        ? { writeBackAt: null }
        : { writeBackAt: startedAt, ...(since === null ? { writeBackFullAt: startedAt } : {}) },
  });
  deps.logger.info(
    {
      shop,
      scope: since === null ? "full" : "changed",
      tags: {
        mode: tags.mode,
        customers: tags.customersChanged,
        requests: tags.requests,
        points: tags.pointsSpent,
        refused: tags.failures.length,
      },
      metafields: {
        mode: metafields.mode,
        customers: metafields.customersChanged,
        requests: metafields.requests,
        points: metafields.pointsSpent,
        refused: metafields.failures.length,
      },
      segments,
      ms,
    },
    "write-back done",
  );
  return { scope: since === null ? "full" : "changed", tags, metafields, segments };
}
