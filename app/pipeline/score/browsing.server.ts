import type { DbTx } from "../../platform/db.server";
import { queryRows } from "../../platform/db/sql.server";
import { DEFAULT_BROWSER_RULE } from "../../domain/engagement";

/**
 * "Browses often, never bought" as a segment: a full run stores its members (the browsers page's rule, the same
 * SQL), so write-back tags them and Flow hears who joined. They have no orders, hence no score of their own.
 */
export async function refreshBrowsing(
  tx: DbTx,
  shop: string,
  asOf: string,
  now: Date,
  fireFlow: boolean,
): Promise<{ joined: number; left: number; flowEvents: number }> {
  const { withinDays, minDays } = DEFAULT_BROWSER_RULE;
  const members = await queryRows(tx, "pixel/browsers-never-bought.sql", shop, now, withinDays, minDays);
  const [row] = await queryRows(
    tx,
    "pipeline/score/refresh-browsing.sql",
    shop,
    members.map((m) => m.customerId),
    asOf,
    fireFlow,
  );
  if (!row) throw new Error("refresh-browsing.sql returned no row");
  return { joined: row.joined, left: row.left, flowEvents: row.flowEvents };
}
