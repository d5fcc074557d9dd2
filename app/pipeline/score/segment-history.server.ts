import type { Db } from "../../platform/db.server";

/**
 * Who was in which RFM segment on a date: ended stays from SegmentMembership
 * ([validFrom, validTo)) plus the open stays in CustomerScore.
 */
export const segmentOnSql = (date: string) => `
  SELECT "customerId" AS cid, segment FROM "SegmentMembership"
  WHERE shop = $1 AND kind = 'rfm' AND "validFrom" <= ${date} AND "validTo" > ${date}
  UNION ALL
  SELECT "customerId", segment FROM "CustomerScore" WHERE shop = $1 AND "segmentSince" <= ${date}`;

export interface Transition {
  from: string | null;
  to: string | null;
  customers: number;
}

/**
 * Movement between two dates: how many customers went from each segment to
 * each other (null: not scored on that date — new, or gone).
 */
export async function transitionMatrix(db: Db, shop: string, from: string, to: string): Promise<Transition[]> {
  return db.$queryRawUnsafe<Transition[]>(
    `SELECT a.segment AS "from", b.segment AS "to", count(*)::int AS customers
     FROM (${segmentOnSql("$2::date")}) a FULL JOIN (${segmentOnSql("$3::date")}) b ON a.cid = b.cid
     GROUP BY 1, 2 ORDER BY 3 DESC`,
    shop,
    from,
    to,
  );
}

/** One customer's stays, oldest first, the open one last. */
export async function customerSegmentHistory(db: Db, shop: string, customerId: bigint) {
  const [ended, current] = await Promise.all([
    db.segmentMembership.findMany({ where: { shop, customerId }, orderBy: [{ validFrom: "asc" }, { id: "asc" }] }),
    db.customerScore.findUnique({ where: { shop_customerId: { shop, customerId } } }),
  ]);
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  const stays = ended.map((s) => ({
    kind: s.kind,
    segment: s.segment,
    from: iso(s.validFrom),
    to: iso(s.validTo) as string | null,
  }));
  if (current) {
    stays.push({ kind: "rfm", segment: current.segment, from: iso(current.segmentSince), to: null });
    current.behaviours.forEach((b, i) => {
      const since = current.behaviourSince[i];
      stays.push({ kind: "behaviour", segment: b, from: since ? iso(since) : iso(current.segmentSince), to: null });
    });
  }
  return stays;
}
