import type { Db } from "../../platform/db.server";
import type { Logger } from "../../platform/logger.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { noTagChanges, planTagWriteBack, type TagWriteBackOptions, type TagWriteBackOutcome } from "./tags.server";
import { noMetafieldChanges, planMetafieldWriteBack, type MetafieldWriteBackOutcome } from "./metafields.server";
import { claimPending, releasePending, type PendingClaim } from "./pending.server";
import { knownRestoreRate } from "../../shopify/pacing.server";
import { syncShopifySegments, type SegmentSyncOutcome } from "./shopify-segments.server";

export interface WriteBackOutcome {
  scope: "full" | "changed";
  tags: TagWriteBackOutcome;
  metafields: MetafieldWriteBackOutcome;
  segments: SegmentSyncOutcome;
}

/** At least this often every customer is compared, whatever happened. */
const FULL_EVERY_MS = 24 * 3_600_000;

/**
 * Whether this write-back must compare every customer, or only those marked
 * in WriteBackPending: everyone the first time, after a settings change, after
 * a run with refused lines, after scores written without marks (a shop's
 * first), and at least daily.
 */
async function isFull(db: Db, shop: string, claiming: Promise<PendingClaim>): Promise<boolean> {
  const [shopRow, settings, { startedAt: now }] = await Promise.all([
    db.shop.findUnique({
      where: { shop },
      select: { writeBackAt: true, writeBackFullAt: true, writeBackFullWantedAt: true },
    }),
    db.shopSettings.findUnique({ where: { shop }, select: { updatedAt: true } }),
    claiming,
  ]);
  const last = shopRow?.writeBackAt;
  if (!last || !shopRow.writeBackFullAt) return true;
  if (now.getTime() - shopRow.writeBackFullAt.getTime() > FULL_EVERY_MS) return true;
  if (settings && settings.updatedAt >= last) return true;
  return shopRow.writeBackFullWantedAt !== null && shopRow.writeBackFullWantedAt >= last;
}

/** Two plans one after the other, settled as Promise.allSettled settles them (the second is not made if the first fails). */
async function planInTurn<A, B>(
  first: () => Promise<A>,
  second: () => Promise<B>,
): Promise<[PromiseSettledResult<A>, PromiseSettledResult<B>]> {
  const a = await first().then(
    (value): PromiseSettledResult<A> => ({ status: "fulfilled", value }),
    (reason: unknown): PromiseSettledResult<A> => ({ status: "rejected", reason }),
  );
  if (a.status === "rejected") return [a, { status: "rejected", reason: a.reason }];
  const b = await second().then(
    (value): PromiseSettledResult<B> => ({ status: "fulfilled", value }),
    (reason: unknown): PromiseSettledResult<B> => ({ status: "rejected", reason }),
  );
  return [a, b];
}

/**
 * Everything the app writes to Shopify after scoring, in dependency order:
 * tags (segments filter on them), metafields, then the Shopify segments.
 */
export async function runWriteBack(
  deps: { db: Db; admin: AdminClient; logger: Logger; sleepReal?: (ms: number) => Promise<void> },
  shop: string,
  options: { pollMs?: number; full?: boolean } & Pick<TagWriteBackOptions, "pageSize" | "bulkThreshold"> = {},
): Promise<WriteBackOutcome> {
  let mark = performance.now();
  // The scope's reads go beside the claim's round trips.
  const claiming = claimPending(deps.db, shop);
  const full = options.full === true || (await isFull(deps.db, shop, claiming));
  const claim = await claiming;
  const startedAt = claim.startedAt;
  // Marked customers to compare: the restore rate (which decides paced or bulk) is asked beside the first pages.
  // A failed probe is not lost: the plan that needs the rate asks again and meets the error.
  if (!full && claim.count > 0) void knownRestoreRate(deps.admin).catch(() => undefined);
  const scope = full ? "full" : "changed";
  const pendingUpTo = full ? null : claim.seq;
  const run = await deps.db.writeBackRun.create({ data: { shop, scope, phase: "tags" } });
  const record = (data: Parameters<Db["writeBackRun"]["update"]>[0]["data"]) =>
    deps.db.writeBackRun.update({ where: { shop_id: { shop, id: run.id } }, data });
  let tags: TagWriteBackOutcome, metafields: MetafieldWriteBackOutcome, segments: SegmentSyncOutcome;
  // Milliseconds per phase, in the log line: where a slow live write-back spends its time (claim: the pending
  // marks and the scope; plan: finding the changes; tags and metafields written side by side count under
  // metafields; release: recording the run).
  const ms = { claim: 0, plan: 0, tags: 0, metafields: 0, segments: 0, release: 0 };
  const lap = (phase: keyof typeof ms) => {
    const now = performance.now();
    ms[phase] = Math.round(now - mark);
    mark = now;
  };
  lap("claim");
  try {
    if (!full && claim.count === 0) {
      // Nothing marked: a changed-scope run compares no one, so neither part has anything to find or write.
      [tags, metafields] = [noTagChanges(), noMetafieldChanges()];
    } else {
      // Marked customers: both parts find their changes side by side (each on its own connection) — a day two's wall
      // time is mostly round trips. A full comparison reads one part after the other: two passes over every customer
      // at once peaked ≈ 70 MB higher (200 000 customers), and its wall time is Shopify's running the operations.
      const planTags = () => planTagWriteBack(deps, shop, { ...options, pendingUpTo });
      const planMetafields = () => planMetafieldWriteBack(deps, shop, { ...options, pendingUpTo });
      const plans = full
        ? await planInTurn(planTags, planMetafields)
        : await Promise.allSettled([planTags(), planMetafields()]);
      const [tagPlanned, metafieldPlanned] = plans;
      if (tagPlanned.status === "rejected" || metafieldPlanned.status === "rejected") {
        await Promise.all(plans.map((p) => (p.status === "fulfilled" ? p.value.dispose() : undefined)));
        throw plans.find((p) => p.status === "rejected")?.reason;
      }
      const [tagPlan, metafieldPlan] = [tagPlanned.value, metafieldPlanned.value];
      lap("plan");
      try {
        if (tagPlan.mode === "bulk" && metafieldPlan.mode === "bulk") {
          // Both as bulk operations (Shopify runs up to five per shop at once, no points): side by side, so neither
          // waits for the other's. Paced writes go one after the other: they share the shop's bucket.
          // Both end before the run does (one failing does not leave the other writing after it).
          const [t, m] = await Promise.allSettled([tagPlan.write(), metafieldPlan.write()]);
          if (t.status === "rejected") throw t.reason;
          if (m.status === "rejected") throw m.reason;
          [tags, metafields] = [t.value, m.value];
          lap("metafields");
        } else {
          tags = await tagPlan.write();
          lap("tags");
          await record({ phase: "metafields", tagCustomers: tags.customersChanged });
          metafields = await metafieldPlan.write();
          lap("metafields");
        }
      } finally {
        await Promise.all([tagPlan.dispose(), metafieldPlan.dispose()]);
      }
    }
    await record({
      phase: "segments",
      tagCustomers: tags.customersChanged,
      metafieldCustomers: metafields.customersChanged,
    });
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
  // Every claimed customer was compared. Refused lines stay different with an unmarked score: only a full
  // comparison finds them again.
  await releasePending(deps.db, shop, claim);
  await deps.db.shop.updateMany({
    where: { shop },
    data:
      refused > 0 ? { writeBackAt: null } : { writeBackAt: startedAt, ...(full ? { writeBackFullAt: startedAt } : {}) },
  });
  lap("release");
  deps.logger.info(
    {
      shop,
      scope,
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
  return { scope, tags, metafields, segments };
}
