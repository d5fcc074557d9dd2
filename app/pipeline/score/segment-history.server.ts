import type { Db, DbTx } from "../../platform/db.server";
import { queryRows } from "../../platform/db/sql.server";

export interface Transition {
  from: string | null;
  to: string | null;
  customers: number;
}

/**
 * Movement between two dates: how many customers went from each segment to
 * each other (null: not scored on that date — new, or gone).
 */
export async function transitionMatrix(db: Db | DbTx, shop: string, from: string, to: string): Promise<Transition[]> {
  return queryRows(db, "pipeline/score/segment-transitions.sql", shop, from, to);
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
