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

type Row = { segment: string; behaviours: string[]; email: number; sms: number };

/**
 * How many scored customers may be mailed / texted, per segment, per behaviour and in all: computed with a full
 * run's summary (a million customers are one hash join there, not one per page view). One pass groups by segment
 * and behaviour set (a few hundred groups); the sums per behaviour are taken here. A customer without a profile
 * row counts as not subscribed.
 */
export async function consentCounts(db: Db | DbTx, shop: string): Promise<RunConsent> {
  const rows = await db.$queryRawUnsafe<Row[]>(
    `SELECT s.segment, s.behaviours,
       count(*) FILTER (WHERE ${acceptsMarketingSql(`c."emailMarketingState"`)})::int AS email,
       count(*) FILTER (WHERE ${acceptsMarketingSql(`c."smsMarketingState"`)})::int AS sms
     FROM "CustomerScore" s JOIN "Customer" c ON c.shop = s.shop AND c.id = s."customerId"
     WHERE s.shop = $1 GROUP BY s.segment, s.behaviours`,
    shop,
  );
  const total: ConsentCounts = { email: 0, sms: 0 };
  const segments: Record<string, ConsentCounts> = {};
  const behaviours: Record<string, ConsentCounts> = {};
  const add = (into: Record<string, ConsentCounts>, key: string, r: Row) => {
    const c = (into[key] ??= { email: 0, sms: 0 });
    c.email += Number(r.email);
    c.sms += Number(r.sms);
  };
  for (const r of rows) {
    total.email += Number(r.email);
    total.sms += Number(r.sms);
    add(segments, r.segment, r);
    for (const b of new Set(r.behaviours)) add(behaviours, b, r);
  }
  return { total, segments, behaviours };
}
