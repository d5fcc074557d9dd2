/**
 * Klaviyo's engagement × purchase grid as plain decisions, independent of app/domain/personas.ts (imports nothing
 * from app/): the oracle the persona tests hold the rule table and the per-run counts against.
 */
export interface OracleInputs {
  engagement: "recent" | "lapsed" | "none";
  purchases: "never" | "once" | "repeat";
  recency: "recent" | "lapsed";
  value: "high" | "low";
}

export function expectedPersona(i: OracleInputs): string {
  if (i.purchases === "never")
    return i.engagement === "recent" ? "almost_there" : i.engagement === "lapsed" ? "false_starts" : "dead_weight";
  if (i.engagement === "recent") {
    if (i.recency === "lapsed") return "window_shoppers";
    if (i.purchases === "repeat") return i.value === "high" ? "high_rollers" : "brand_lovers";
    return i.value === "high" ? "potential_high_rollers" : "potential_brand_lovers";
  }
  if (i.recency === "recent") return "passing_through";
  if (i.value === "high") return "lapsed_high_rollers";
  return i.purchases === "repeat" ? "lost_enthusiasts" : "one_hit_wonders";
}
