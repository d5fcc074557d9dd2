import type { Db, DbTx } from "../../platform/db.server";
import { ACCEPTS_MARKETING_STATE } from "../../domain/consent";
import type { ConsentCounts, RunConsent } from "./run-shapes";

/**
 * The SQL form of app/domain/consent.ts acceptsMarketing for one consent column (`c."emailMarketingState"`):
 * true for SUBSCRIBED only, false for every other state and for none (NULL → false, never unknown).
 * test/ui/people-data.test.ts holds it to the domain function for every state.
 */
export function acceptsMarketingSql(column: string): string {
  return `coalesce(${column} = '${ACCEPTS_MARKETING_STATE}', false)`;
}

type Row = { k: string | null; email: number; sms: number };
const counts = (r: Row | undefined): ConsentCounts => ({ email: Number(r?.email ?? 0), sms: Number(r?.sms ?? 0) });

const SELECT = `count(*) FILTER (WHERE ${acceptsMarketingSql(`c."emailMarketingState"`)})::int AS email,
  count(*) FILTER (WHERE ${acceptsMarketingSql(`c."smsMarketingState"`)})::int AS sms`;

/**
 * How many scored customers may be mailed / texted, per segment, per behaviour and in all: computed with a full
 * run's summary (a million customers are one hash join there, not on every page view). A customer without a
 * profile row counts as not subscribed.
 */
export async function consentCounts(db: Db | DbTx, shop: string): Promise<RunConsent> {
  const [segments, behaviours] = await Promise.all([
    db.$queryRawUnsafe<Row[]>(
      `SELECT s.segment AS k, ${SELECT}
       FROM "CustomerScore" s JOIN "Customer" c ON c.shop = s.shop AND c.id = s."customerId"
       WHERE s.shop = $1 GROUP BY ROLLUP (s.segment)`,
      shop,
    ),
    db.$queryRawUnsafe<Row[]>(
      `SELECT b AS k, ${SELECT}
       FROM "CustomerScore" s CROSS JOIN LATERAL unnest(s.behaviours) b
       JOIN "Customer" c ON c.shop = s.shop AND c.id = s."customerId"
       WHERE s.shop = $1 GROUP BY b`,
      shop,
    ),
  ]);
  return {
    total: counts(segments.find((r) => r.k === null)),
    segments: Object.fromEntries(segments.filter((r) => r.k !== null).map((r) => [r.k, counts(r)])),
    behaviours: Object.fromEntries(behaviours.map((r) => [r.k, counts(r)])),
  };
}
