import type { Db } from "../../platform/db.server";
import { execute, queryRows } from "../../platform/db/sql.server";
import type { Logger } from "../../platform/logger.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { orderJourneys } from "../../shopify/orders.server";
import { journeyFacts } from "../../domain/insights/journey";

/** Orders per nodes(ids:) request: well under the 250 allowed, so one request stays cheap against the cost bucket. */
export const JOURNEY_BATCH = 100;
/** After this long Shopify's journey is taken as it is: an order still not ready stays "pending" for good. */
export const JOURNEY_GIVE_UP_DAYS = 7;
/** A pending journey is asked again at most this often. */
export const JOURNEY_RECHECK_MINUTES = 30;

const DAY = 86_400_000;

export interface JourneyRefreshOutcome {
  asked: number;
  /** Orders Shopify answered for (deleted ones drop out). */
  stored: number;
  /** Orders within the give-up age still without a ready journey after this pass. */
  pending: number;
}

/**
 * Order webhooks carry no customerJourneySummary, and right after an order Shopify often answers `ready: false`:
 * this asks again, in batches of JOURNEY_BATCH ids (one nodes(ids:) query each), for orders placed in the last
 * JOURNEY_GIVE_UP_DAYS that have no journey stored or a pending one, and stores what Shopify answers.
 */
export async function refreshOrderJourneys(
  deps: { db: Db; admin: AdminClient; logger: Logger },
  shop: string,
  now = new Date(),
): Promise<JourneyRefreshOutcome> {
  const placedSince = new Date(now.getTime() - JOURNEY_GIVE_UP_DAYS * DAY);
  const checkedBefore = new Date(now.getTime() - JOURNEY_RECHECK_MINUTES * 60_000);
  let asked = 0;
  let stored = 0;
  let after = 0n;
  for (;;) {
    const due = await queryRows(
      deps.db,
      "pipeline/ingest/journeys-due.sql",
      shop,
      placedSince,
      checkedBefore,
      after,
      JOURNEY_BATCH,
    );
    const last = due.at(-1);
    if (!last) break;
    after = last.id;
    const answered = await orderJourneys(
      deps.admin,
      due.map((d) => d.id),
    );
    const rows = answered.map((a) => ({ orderId: a.id, ...journeyFacts(a.summary) }));
    if (rows.length > 0) await execute(deps.db, "pipeline/ingest/upsert-journeys.sql", shop, JSON.stringify(rows));
    asked += due.length;
    stored += rows.length;
    deps.logger.debug({ shop, asked: due.length, stored: rows.length }, "order journeys asked again");
  }
  const [left] = await queryRows(deps.db, "pipeline/ingest/journeys-pending.sql", shop, placedSince);
  const pending = left?.pending ?? 0;
  if (asked > 0) deps.logger.info({ shop, asked, stored, pending }, "order journeys refreshed");
  return { asked, stored, pending };
}
