import type { Db } from "../../app/platform/db.server";
import { RunStats } from "../../app/pipeline/score/run-shapes";

/** What the twin-shop scoring tests seed and compare: the same orders in two shops, then their rows side by side. */

/**
 * Deterministic orders for `customers` customers (2 × as many orders): a spread of dates over `spreadDays` before
 * 2026-11-19, amounts, repeat customers and a sale code (a launch day for sale_shopper).
 */
export async function seedTwinOrders(db: Db, shop: string, customers: number, spreadDays: number): Promise<void> {
  await db.$executeRawUnsafe(
    `INSERT INTO "Order" (shop, id, "customerId", "createdAt", "processedAt", "shopifyUpdatedAt", currency, "totalPrice", "currentTotalPrice", "totalRefunded", "discountCodes")
     SELECT $1, g, CASE WHEN g <= $2 THEN g ELSE 1 + (g * 7919) % ($2 / 3) END, t, t, t, 'USD', a, a, 0,
            CASE WHEN g % 9 = 0 THEN ARRAY['LAUNCH'] ELSE '{}'::text[] END
     FROM (SELECT g, CASE WHEN g % 9 = 0 THEN timestamptz '2026-10-02 03:30:00Z' + (g % 5) * interval '1 hour'
                          ELSE timestamptz '2026-11-19 12:00:00Z' - ((g * 104729) % $3) * interval '1 day' - (g % 24) * interval '1 hour' END AS t,
                  (5 + (g * 31) % 400)::numeric(18, 2) AS a
           FROM generate_series(1, $2 * 2) g) x`,
    shop,
    customers,
    spreadDays,
  );
}

export type Row = Record<string, unknown>;

/** Every stored score of the shop, as text where types differ between PGlite and PostgreSQL. */
export const scoresOf = (db: Db, shop: string) =>
  db.$queryRawUnsafe<Row[]>(
    `SELECT "customerId"::text AS id, "lastOrderDate"::text, frequency, monetary::text, r, f, m, segment, "segmentSince"::text,
            "candidateSegment", "candidateRuns", behaviours, "behaviourSince"::text
     FROM "CustomerScore" WHERE shop = $1 ORDER BY "customerId"`,
    shop,
  );

/** The ended stays (SegmentMembership). */
export const historyOf = (db: Db, shop: string) =>
  db.$queryRawUnsafe<Row[]>(
    `SELECT "customerId"::text AS id, kind, segment, "validFrom"::text, "validTo"::text FROM "SegmentMembership"
     WHERE shop = $1 ORDER BY 1, 2, 3, 4, 5`,
    shop,
  );

/** The latest run's figures without its own clock (seconds, changesFrom); scope apart (it differs by design). */
export async function latestRunOf(db: Db, shop: string) {
  const run = await db.scoringRun.findFirst({ where: { shop }, orderBy: { id: "desc" } });
  const { seconds: _seconds, changesFrom: _changesFrom, scope, ...stats } = RunStats.partial().parse(run?.stats ?? {});
  return { run: { customers: run?.customers, cutoffs: run?.cutoffs, summary: run?.summary, stats }, scope };
}
