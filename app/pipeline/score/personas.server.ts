import type { DbTx } from "../../platform/db.server";
import { queryRows } from "../../platform/db/sql.server";
import { signalMaskWithin } from "../../domain/engagement";
import { PERSONA_DEFAULTS, PersonaInputs, countPersonas, type PersonaCounts } from "../../domain/personas";
import { anyEngagement } from "../engagement/engagement-source.server";

const within = (days: number) => signalMaskWithin("click", days) | signalMaskWithin("visit", days);

/**
 * Customers per persona, in a full run's transaction: one grouped pass over every customer into persona inputs,
 * mapped to personas by the rule table (domain/personas.ts). The "high value" line is the shop's average order
 * value.
 */
export async function computePersonaCounts(tx: DbTx, shop: string, asOf: string): Promise<PersonaCounts> {
  const d = PERSONA_DEFAULTS;
  const [line] = await queryRows(tx, "pipeline/score/shop-average-order-value.sql", shop);
  const highValueLine = line?.line.toFixed(2) ?? "0.00";
  const cells = await queryRows(
    tx,
    "pipeline/score/persona-cells.sql",
    shop,
    asOf,
    d.engagedRecentDays,
    d.engagedEverDays,
    within(d.engagedRecentDays),
    within(d.engagedEverDays),
    d.recentPurchaseDays,
    highValueLine,
  );
  const hasEngagement = (await anyEngagement(tx, shop)) !== null;
  return {
    hasEngagement,
    highValueLine,
    counts: countPersonas(
      cells.map((c) => ({
        inputs: PersonaInputs.parse(c),
        customers: c.customers,
      })),
    ),
  };
}
