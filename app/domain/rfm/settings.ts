import { z } from "zod";
import { DEFAULT_RULES, SegmentKey, SegmentRule, ruleTableProblems } from "./segments";
import { BEHAVIOUR_KEYS, BehaviourKey } from "./behaviours";

const BEHAVIOUR_KEY_COUNT = BEHAVIOUR_KEYS.length;
import type { Scale } from "./scores";

export const DEFAULT_FREQUENCY_THRESHOLDS: Record<Scale, number[]> = {
  // 1 / 2 / 3–4 / 5–9 / 10+ orders: most shops' customers order once, so ranks would lump them.
  5: [1, 2, 3, 5, 10],
  4: [1, 2, 3, 5],
};

const Money = z.string().regex(/^\d{1,12}(\.\d{1,4})?$/, "an amount like 500 or 499.95");

export const BehaviourSettings = z.object({
  /** Orders on launch days (first day a discount code or sale period is used) to count as a sale shopper. */
  saleShopperMinOrders: z.number().int().min(2).max(20).default(2),
  /** "Usual gap" for customers with one order, when the shop has no repeat buyers to take a median from. */
  dissatisfiedFallbackGapDays: z.number().int().min(7).max(730).default(90),
  /** Brand loyal: every order contains one of these vendors. Empty: segment off. */
  brandVendors: z.array(z.string().trim().min(1).max(255)).max(50).default([]),
  /** High value at risk: lifetime net spend at least this (null: the shop's top-5 % threshold)… */
  highValueMinSpend: Money.nullable().default(null),
  /** …and no order for this many days. */
  highValueInactiveDays: z.number().int().min(14).max(1095).default(90),
  /** Likely to churn: high value and P(alive) below this. */
  churnMaxPAlive: z.number().min(0.05).max(0.95).default(0.3),
  /** Ordering soon: P(an order in the next 30 days) at least this. */
  orderSoonMinP: z.number().min(0.05).max(0.95).default(0.5),
  lostEngagedVisitDays: z.number().int().min(1).max(365).default(90),
  lostEngagedClickDays: z.number().int().min(1).max(730).default(180),
});
export type BehaviourSettings = z.infer<typeof BehaviourSettings>;

/** The discount rates the settings accept: 0 % (no discounting) to 50 % a year. */
export const ANNUAL_DISCOUNT_RATE_RANGE = { min: 0, max: 0.5 } as const;

export const PredictionSettings = z.object({
  /** Annual rate the predicted 12-month value discounts future orders at (money later is worth less today). */
  annualDiscountRate: z.number().min(ANNUAL_DISCOUNT_RATE_RANGE.min).max(ANNUAL_DISCOUNT_RATE_RANGE.max).default(0.1),
});
export type PredictionSettings = z.infer<typeof PredictionSettings>;

export const WriteBackSettings = z.object({
  /** Off (after "Remove all app tags"): no app tag stays on any customer. */
  enabled: z.boolean().default(true),
  /** Tags are prefix + key, e.g. rfm-champions; lower case so Shopify's case-insensitive tags never collide. */
  tagPrefix: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,19}$/, "1–20 lower-case letters, digits, - or _, starting with a letter or digit")
    .default("rfm-"),
  /** One tag for the RFM segment. */
  segmentTags: z.boolean().default(true),
  /** Behavioural segments that also get a tag (the merchant switches them on). */
  behaviourTags: z.array(BehaviourKey).max(BEHAVIOUR_KEY_COUNT).default([]),
  /**
   * The language Shopify segments are named in (write-back runs with nobody signed in). null until the
   * first admin opens the app: then theirs (adoptSegmentLanguage).
   */
  language: z.enum(["en", "nl"]).nullable().default(null),
});
export type WriteBackSettings = z.infer<typeof WriteBackSettings>;

export const NamingPreset = z.enum(["nl", "en", "playful"]);
export type NamingPreset = z.infer<typeof NamingPreset>;

const NameKey = z.union([SegmentKey, BehaviourKey]);

export const RfmSettings = z
  .object({
    scale: z.union([z.literal(4), z.literal(5)]).default(5),
    /** null: all history. */
    windowMonths: z
      .union([z.literal(12), z.literal(24), z.literal(36)])
      .nullable()
      .default(null),
    frequencyMode: z.enum(["rank", "thresholds"]).default("rank"),
    /** Smallest order count for each F score (null: DEFAULT_FREQUENCY_THRESHOLDS). */
    frequencyThresholds: z.array(z.number().int().min(1).max(100_000)).nullable().default(null),
    /** null: follow the merchant's admin language. */
    preset: NamingPreset.nullable().default(null),
    names: z.partialRecord(NameKey, z.string().trim().min(1).max(40)).default({}),
    /** null: DEFAULT_RULES for the scale. */
    rules: z.array(SegmentRule).min(1).max(60).nullable().default(null),
    /** A customer moves to a new segment only after it held for this many consecutive daily runs (1: at once). */
    stabilityRuns: z.number().int().min(1).max(14).default(1),
    /** Local hour of the shop's daily run. */
    dailyRunHour: z.number().int().min(0).max(23).default(4),
    behaviours: BehaviourSettings.prefault({}),
    predictions: PredictionSettings.prefault({}),
    writeBack: WriteBackSettings.prefault({}),
  })
  .superRefine((s, ctx) => {
    if (s.rules)
      for (const message of ruleTableProblems(s.rules, s.scale))
        ctx.addIssue({ code: "custom", path: ["rules"], message });
    if (s.frequencyThresholds) {
      const t = s.frequencyThresholds;
      if (t.length !== s.scale)
        ctx.addIssue({
          code: "custom",
          path: ["frequencyThresholds"],
          message: `needs ${s.scale} thresholds, one per F score`,
        });
      else if (t[0] !== 1)
        ctx.addIssue({ code: "custom", path: ["frequencyThresholds"], message: "F 1 must start at 1 order" });
      else if (t.some((v, i) => i > 0 && v <= (t[i - 1] as number)))
        ctx.addIssue({ code: "custom", path: ["frequencyThresholds"], message: "thresholds must increase" });
    }
  });
export type RfmSettings = z.infer<typeof RfmSettings>;

export const DEFAULT_RFM_SETTINGS: RfmSettings = RfmSettings.parse({});

/**
 * The settings a scoring run's result depends on. Names, presets, the run hour, write-back and prediction
 * settings change what is shown or written, not any customer's score: a daily run may still score only the
 * customers that changed after the merchant edits them.
 */
export function scoringInputsOf(settings: RfmSettings) {
  const { scale, windowMonths, frequencyMode, frequencyThresholds, rules, stabilityRuns, behaviours } = settings;
  return { scale, windowMonths, frequencyMode, frequencyThresholds, rules, stabilityRuns, behaviours };
}

export function rulesOf(settings: RfmSettings): SegmentRule[] {
  return settings.rules ?? DEFAULT_RULES[settings.scale];
}

export function frequencyThresholdsOf(settings: RfmSettings): number[] {
  return settings.frequencyThresholds ?? DEFAULT_FREQUENCY_THRESHOLDS[settings.scale];
}
