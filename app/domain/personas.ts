import { z } from "zod";

/**
 * Engagement × purchase personas (Klaviyo's grid): how recently a customer engaged (Shopify Email clicks, product
 * views, pixel visits) against whether, how often, how recently and for how much they bought. Rules are data: the
 * first row whose every stated input matches names the persona (an input a row leaves out matches anything).
 */

export const PERSONA_KEYS = [
  "high_rollers",
  "brand_lovers",
  "potential_high_rollers",
  "potential_brand_lovers",
  "almost_there",
  "window_shoppers",
  "lapsed_high_rollers",
  "lost_enthusiasts",
  "one_hit_wonders",
  "passing_through",
  "false_starts",
  "dead_weight",
] as const;
export const PersonaKey = z.enum(PERSONA_KEYS);
export type PersonaKey = z.infer<typeof PersonaKey>;

/** Engaged in the last engagedRecentDays, only within engagedEverDays, or not at all in that time. */
export const EngagementLevel = z.enum(["recent", "lapsed", "none"]);
export type EngagementLevel = z.infer<typeof EngagementLevel>;
export const Purchases = z.enum(["never", "once", "repeat"]);
export type Purchases = z.infer<typeof Purchases>;
export const PurchaseRecency = z.enum(["recent", "lapsed"]);
export type PurchaseRecency = z.infer<typeof PurchaseRecency>;
export const OrderValue = z.enum(["high", "low"]);
export type OrderValue = z.infer<typeof OrderValue>;

export const PersonaInputs = z.object({
  engagement: EngagementLevel,
  purchases: Purchases,
  /** Ignored for customers who never bought. */
  recency: PurchaseRecency,
  /** Average order value against the shop's line; ignored for customers who never bought. */
  value: OrderValue,
});
export type PersonaInputs = z.infer<typeof PersonaInputs>;

export const ENGAGEMENT_LEVELS: readonly EngagementLevel[] = EngagementLevel.options;
export const PURCHASES: readonly Purchases[] = Purchases.options;
export const RECENCIES: readonly PurchaseRecency[] = PurchaseRecency.options;
export const ORDER_VALUES: readonly OrderValue[] = OrderValue.options;

export const PERSONA_DEFAULTS = {
  /** Engagement this recent is "recent". */
  engagedRecentDays: 30,
  /** Engagement within this many days (and not recent) is "lapsed"; older counts as none. */
  engagedEverDays: 180,
  /** A last order within this many days is a recent purchase. */
  recentPurchaseDays: 180,
} as const;

interface PersonaRule {
  persona: PersonaKey;
  engagement?: readonly EngagementLevel[];
  purchases?: readonly Purchases[];
  recency?: readonly PurchaseRecency[];
  value?: readonly OrderValue[];
}

const BOUGHT: readonly Purchases[] = ["once", "repeat"];
const NOT_RECENT: readonly EngagementLevel[] = ["lapsed", "none"];

/** The grid, in priority order. */
export const PERSONA_RULES: readonly PersonaRule[] = [
  { persona: "high_rollers", engagement: ["recent"], purchases: ["repeat"], recency: ["recent"], value: ["high"] },
  { persona: "brand_lovers", engagement: ["recent"], purchases: ["repeat"], recency: ["recent"], value: ["low"] },
  {
    persona: "potential_high_rollers",
    engagement: ["recent"],
    purchases: ["once"],
    recency: ["recent"],
    value: ["high"],
  },
  {
    persona: "potential_brand_lovers",
    engagement: ["recent"],
    purchases: ["once"],
    recency: ["recent"],
    value: ["low"],
  },
  { persona: "window_shoppers", engagement: ["recent"], purchases: BOUGHT, recency: ["lapsed"] },
  { persona: "passing_through", engagement: NOT_RECENT, purchases: BOUGHT, recency: ["recent"] },
  { persona: "lapsed_high_rollers", engagement: NOT_RECENT, purchases: BOUGHT, recency: ["lapsed"], value: ["high"] },
  { persona: "lost_enthusiasts", engagement: NOT_RECENT, purchases: ["repeat"], recency: ["lapsed"], value: ["low"] },
  { persona: "one_hit_wonders", engagement: NOT_RECENT, purchases: ["once"], recency: ["lapsed"], value: ["low"] },
  { persona: "almost_there", engagement: ["recent"], purchases: ["never"] },
  { persona: "false_starts", engagement: ["lapsed"], purchases: ["never"] },
  { persona: "dead_weight", engagement: ["none"], purchases: ["never"] },
];

const matches = <T>(allowed: readonly T[] | undefined, value: T) => allowed === undefined || allowed.includes(value);

/** The persona of one combination of inputs (every combination has one). */
export function personaOf(inputs: PersonaInputs): PersonaKey {
  const rule = PERSONA_RULES.find(
    (r) =>
      matches(r.engagement, inputs.engagement) &&
      matches(r.purchases, inputs.purchases) &&
      (inputs.purchases === "never" || (matches(r.recency, inputs.recency) && matches(r.value, inputs.value))),
  );
  if (!rule) throw new Error(`no persona for ${JSON.stringify(inputs)}`);
  return rule.persona;
}

/** Whether a persona's rule reads engagement: such personas cannot be told without engagement data. */
export function personaNeedsEngagement(persona: PersonaKey): boolean {
  return PERSONA_RULES.some(
    (r) => r.persona === persona && r.engagement !== undefined && r.engagement.length < ENGAGEMENT_LEVELS.length,
  );
}

/** What a full run stores: customers per persona, and whether the shop had engagement data to tell them apart. */
export const PersonaCounts = z.object({
  hasEngagement: z.boolean(),
  /** The "high value" line: the shop's average order value, shop currency (decimal string). */
  highValueLine: z.string(),
  counts: z.record(PersonaKey, z.number().int().nonnegative()),
});
export type PersonaCounts = z.infer<typeof PersonaCounts>;

/** Adds up customers per input combination into customers per persona (every persona present, zero or more). */
export function countPersonas(
  cells: readonly { inputs: PersonaInputs; customers: number }[],
): Record<PersonaKey, number> {
  const counts = new Map<PersonaKey, number>();
  for (const cell of cells) {
    const persona = personaOf(cell.inputs);
    counts.set(persona, (counts.get(persona) ?? 0) + cell.customers);
  }
  return PersonaCounts.shape.counts.parse(Object.fromEntries(PERSONA_KEYS.map((k) => [k, counts.get(k) ?? 0])));
}
