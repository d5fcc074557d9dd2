import type { SegmentKey } from "../../domain/rfm/segments";
import type { BehaviourKey } from "../../domain/rfm/behaviours";
import type { NamingPreset, RfmSettings } from "../../domain/rfm/settings";
import type { PersonaKey } from "../../domain/personas";

type Names = Record<SegmentKey | BehaviourKey, string>;

const BEHAVIOURS_EN: Record<BehaviourKey, string> = {
  vip_top_1: "VIP top 1%",
  vip_top_5: "VIP top 5%",
  vip_top_20: "Top 20%",
  first_time_seasonal: "First-time seasonal buyers",
  coupon_shopper: "Coupon shoppers",
  sale_shopper: "Sale shoppers",
  dissatisfied: "Dissatisfied after a refund",
  brand_loyal: "Brand loyal",
  high_value_at_risk: "VIP at risk",
  likely_to_churn: "Likely to churn",
  rising_star: "Rising stars",
  ordering_soon: "Expected to order soon",
};

const BEHAVIOURS_NL: Record<BehaviourKey, string> = {
  vip_top_1: "VIP top 1%",
  vip_top_5: "VIP top 5%",
  vip_top_20: "Top 20%",
  first_time_seasonal: "Seizoenskopers (eerste keer)",
  coupon_shopper: "Kortingscodegebruikers",
  sale_shopper: "Koopjesjagers",
  dissatisfied: "Ontevreden na terugbetaling",
  brand_loyal: "Merktrouw",
  high_value_at_risk: "VIP's met risico",
  likely_to_churn: "Dreigen af te haken",
  rising_star: "Rijzende sterren",
  ordering_soon: "Bestellen binnenkort",
};

export const PRESETS: Record<NamingPreset, Names> = {
  nl: {
    champions: "Topklanten",
    loyal: "Loyale klanten",
    potential_loyalist: "Potentiële loyale klanten",
    new: "Nieuwe klanten",
    promising: "Veelbelovende klanten",
    needs_attention: "Heeft aandacht nodig",
    about_to_sleep: "In slaap aan het vallen",
    at_risk: "Risicoklanten",
    cant_lose: "Niet te verliezen",
    hibernating: "Slapende klanten",
    lost: "Verloren klanten",
    lost_engaged: "Verloren maar betrokken",
    ...BEHAVIOURS_NL,
  },
  en: {
    champions: "Champions",
    loyal: "Loyal customers",
    potential_loyalist: "Potential loyalists",
    new: "New customers",
    promising: "Promising",
    needs_attention: "Needs attention",
    about_to_sleep: "About to sleep",
    at_risk: "At risk",
    cant_lose: "Can't lose them",
    hibernating: "Hibernating",
    lost: "Lost",
    lost_engaged: "Lost but engaged",
    ...BEHAVIOURS_EN,
  },
  // Same relationship arc: courtship (new → flirting → apprentice → potential lovers
  // → lovers → soulmates), cooling (platonic → about to dump you), endings.
  playful: {
    champions: "Soulmates",
    loyal: "Lovers",
    potential_loyalist: "Potential lovers",
    new: "New passion",
    promising: "Flirting",
    needs_attention: "Apprentice",
    about_to_sleep: "Platonic friend",
    at_risk: "About to dump you",
    cant_lose: "Ex-lovers",
    hibernating: "Don Juan",
    lost: "Break-up",
    lost_engaged: "Secret admirer",
    ...BEHAVIOURS_EN,
    likely_to_churn: "Cold feet",
    rising_star: "Crush",
    ordering_soon: "Date night",
  },
};

/** Dutch admin → Dutch names; everything else English (until more presets exist). */
export function presetForLocale(locale: string | null | undefined): NamingPreset {
  return locale?.toLowerCase().startsWith("nl") ? "nl" : "en";
}

/** The name the merchant sees: their rename, else their preset, else their admin language's. */
export function segmentName(
  key: SegmentKey | BehaviourKey,
  settings: Pick<RfmSettings, "preset" | "names">,
  locale?: string | null,
): string {
  return settings.names[key] ?? PRESETS[settings.preset ?? presetForLocale(locale)][key];
}

/** Merchant-facing descriptions (the default rules follow these). */
export const SEGMENT_DESCRIPTIONS: Record<"en" | "nl", Record<SegmentKey, string>> = {
  en: {
    champions: "Bought recently, buy often and spend the most.",
    loyal: "Order regularly and spend well, but are not your very best.",
    potential_loyalist: "Bought recently and more than once, but spend little so far.",
    new: "Bought very recently, for the first time.",
    promising: "Bought recently, once or twice, with above-average value.",
    needs_attention: "In between potential and loyal: decent value, need better recency and frequency.",
    about_to_sleep: "Ordered some time ago, at low value.",
    at_risk: "Ordered often and spent a lot, but long ago.",
    cant_lose: "Your very high-value customers who have not ordered for a long time.",
    hibernating: "Low on everything: few orders, low spend, a while ago.",
    lost: "Gone the longest.",
    lost_engaged: "Lost, but visited your shop in the last 90 days or clicked a marketing email in the last 180.",
  },
  nl: {
    champions: "Kochten recent, kopen vaak en besteden het meest.",
    loyal: "Bestellen regelmatig en besteden goed, maar zijn niet je allerbeste klanten.",
    potential_loyalist: "Kochten recent en vaker dan eens, maar besteden nog weinig.",
    new: "Kochten zeer recent, voor het eerst.",
    promising: "Kochten recent een of twee keer, met een bovengemiddelde waarde.",
    needs_attention: "Tussen potentieel en loyaal in: redelijke waarde, maar recentheid en frequentie moeten omhoog.",
    about_to_sleep: "Bestelden een tijd geleden, voor een lage waarde.",
    at_risk: "Bestelden vaak en voor veel geld, maar lang geleden.",
    cant_lose: "Je zeer waardevolle klanten die al lang niet meer bestelden.",
    hibernating: "Laag op alles: weinig bestellingen, lage besteding, een tijd geleden.",
    lost: "Het langst weg.",
    lost_engaged:
      "Verloren, maar bezochten je winkel in de laatste 90 dagen of klikten in de laatste 180 dagen op een marketinge-mail.",
  },
};

/** The engagement × purchase personas' names per preset (domain/personas.ts). */
export const PERSONA_PRESETS: Record<NamingPreset, Record<PersonaKey, string>> = {
  en: {
    high_rollers: "High rollers",
    brand_lovers: "Brand lovers",
    potential_high_rollers: "Potential high rollers",
    potential_brand_lovers: "Potential brand lovers",
    almost_there: "Almost there",
    window_shoppers: "Window shoppers",
    lapsed_high_rollers: "Lapsed high rollers",
    lost_enthusiasts: "Lost enthusiasts",
    one_hit_wonders: "One-hit wonders",
    passing_through: "Passing through",
    false_starts: "False starts",
    dead_weight: "Dead weight",
  },
  nl: {
    high_rollers: "Grote spenders",
    brand_lovers: "Merkliefhebbers",
    potential_high_rollers: "Potentiële grote spenders",
    potential_brand_lovers: "Potentiële merkliefhebbers",
    almost_there: "Bijna klant",
    window_shoppers: "Etalagekijkers",
    lapsed_high_rollers: "Afgehaakte grote spenders",
    lost_enthusiasts: "Verloren fans",
    one_hit_wonders: "Eendagsvliegen",
    passing_through: "Passanten",
    false_starts: "Valse starters",
    dead_weight: "Dood gewicht",
  },
  // The relationship arc of the playful segment names.
  playful: {
    high_rollers: "Power couple",
    brand_lovers: "Sweethearts",
    potential_high_rollers: "Promising date",
    potential_brand_lovers: "Second date",
    almost_there: "Crush",
    window_shoppers: "Just looking",
    lapsed_high_rollers: "The one that got away",
    lost_enthusiasts: "Old flames",
    one_hit_wonders: "One-night stand",
    passing_through: "Ships in the night",
    false_starts: "Ghosted",
    dead_weight: "Never met",
  },
};

/** A persona's name: the merchant's preset, else their admin language's. */
export function personaName(key: PersonaKey, settings: Pick<RfmSettings, "preset">, locale?: string | null): string {
  return PERSONA_PRESETS[settings.preset ?? presetForLocale(locale)][key];
}
