import type { Cutoff } from "../../domain/rfm/scores";
import type { RunCutoffs } from "../../pipeline/score/run-shapes";
import type { SegmentKey, SegmentRule } from "../../domain/rfm/segments";
import type { BehaviourKey } from "../../domain/rfm/behaviours";
import { DEFAULT_RFM_SETTINGS, type BehaviourSettings, type RfmSettings } from "../../domain/rfm/settings";

type Language = "en" | "nl";
/** Formats a net-spend amount (decimal string) in the shop's currency. */
type MoneyFormat = (amount: string) => string;
type Range = readonly [number, number];

/** The run's stored cut-offs (one schema, in the scoring pipeline). */
export type { RunCutoffs };

export interface BehaviourStats {
  /** Lowest net spend inside each VIP tier, by behaviour key (null: tier empty in this run). */
  vipMinSpend?: Record<string, string | null>;
  highValueMinSpend?: string | null;
  medianGapDays?: number | null;
}

/** A score nobody holds says nothing about values: the caller falls back to score numbers. */
const held = <V>(list: readonly Cutoff<V>[], score: number) => list.find((c) => c.score === score && c.customers > 0);

const scoreRange = (dim: string, [lo, hi]: Range) => `${dim} ${lo === hi ? lo : `${lo}–${hi}`}`;

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function joinList(parts: readonly string[], language: Language, word = language === "nl" ? "en" : "and"): string {
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} ${word} ${parts[parts.length - 1]}`;
}

const days = (n: number, language: Language) =>
  language === "nl" ? `${n} ${n === 1 ? "dag" : "dagen"}` : `${n} ${n === 1 ? "day" : "days"}`;

/** R values are days since the last order, so the best scores hold the fewest days. */
function recencyPart(range: Range, cutoffs: readonly Cutoff<number>[], scale: number, language: Language): string {
  const [lo, hi] = range;
  const nl = language === "nl";
  if (hi === scale) {
    const c = held(cutoffs, lo);
    if (!c) return scoreRange("R", range);
    if (c.max <= 0) return nl ? "laatste bestelling vandaag" : "ordered today";
    if (c.max === 1) return nl ? "laatste bestelling vandaag of gisteren" : "ordered today or yesterday";
    return nl ? `laatste bestelling in de afgelopen ${c.max} dagen` : `ordered in the last ${c.max} days`;
  }
  if (lo === 1) {
    const c = held(cutoffs, hi);
    if (!c) return scoreRange("R", range);
    return nl ? `laatste bestelling ${c.min} of meer dagen geleden` : `last order ${c.min} or more days ago`;
  }
  const newest = held(cutoffs, hi);
  const oldest = held(cutoffs, lo);
  if (!newest || !oldest) return scoreRange("R", range);
  if (newest.min === oldest.max)
    return nl
      ? `laatste bestelling ${days(newest.min, language)} geleden`
      : `last order ${days(newest.min, language)} ago`;
  return nl
    ? `laatste bestelling ${newest.min}–${oldest.max} dagen geleden`
    : `last order ${newest.min}–${oldest.max} days ago`;
}

function frequencyPart(range: Range, cutoffs: readonly Cutoff<number>[], scale: number, language: Language): string {
  const [lo, hi] = range;
  const nl = language === "nl";
  const orders = nl ? "bestellingen" : "orders";
  const low = held(cutoffs, lo);
  if (hi === scale) return low ? `${low.min}+ ${orders}` : scoreRange("F", range);
  const high = held(cutoffs, hi);
  if (!low || !high) return scoreRange("F", range);
  if (low.min === high.max) return `${low.min} ${low.min === 1 ? (nl ? "bestelling" : "order") : orders}`;
  return `${low.min}–${high.max} ${orders}`;
}

function monetaryPart(
  range: Range,
  cutoffs: readonly Cutoff<string>[],
  scale: number,
  language: Language,
  money: MoneyFormat,
): string {
  const [lo, hi] = range;
  const nl = language === "nl";
  const low = held(cutoffs, lo);
  const high = held(cutoffs, hi);
  if (hi === scale) {
    if (!low) return scoreRange("M", range);
    return nl ? `${money(low.min)} of meer besteed` : `spent ${money(low.min)} or more`;
  }
  if (lo === 1) {
    if (!high) return scoreRange("M", range);
    return nl ? `tot ${money(high.max)} besteed` : `spent up to ${money(high.max)}`;
  }
  if (!low || !high) return scoreRange("M", range);
  const amount = low.min === high.max ? money(low.min) : `${money(low.min)}–${money(high.max)}`;
  return nl ? `${amount} besteed` : `spent ${amount}`;
}

function describeRow(
  row: SegmentRule,
  cutoffs: RunCutoffs,
  scale: number,
  language: Language,
  money: MoneyFormat,
): string {
  const full = ([lo, hi]: Range) => lo <= 1 && hi >= scale;
  const parts: string[] = [];
  if (!full(row.r)) parts.push(recencyPart(row.r, cutoffs.r, scale, language));
  if (!full(row.f)) parts.push(frequencyPart(row.f, cutoffs.f, scale, language));
  if (!full(row.m)) parts.push(monetaryPart(row.m, cutoffs.m, scale, language, money));
  // First match wins, so an all-"any" row only catches what earlier rows left.
  if (parts.length === 0)
    return language === "nl"
      ? "Elke klant die niet onder een eerdere regel valt"
      : "Any customer not matched by an earlier rule";
  return capitalise(joinList(parts, language));
}

/**
 * The segment's rule rows in plain words, with this run's cut-offs: one
 * sentence per row. lost_engaged has no rows of its own: it is lost plus
 * recent engagement, so it is described from lost's rows and the engagement
 * windows. A segment the rule table never names gets no sentences.
 */
export function describeSegmentRule(
  key: SegmentKey,
  rules: readonly SegmentRule[],
  cutoffs: RunCutoffs,
  language: Language,
  money: MoneyFormat,
  engagement: Pick<
    BehaviourSettings,
    "lostEngagedVisitDays" | "lostEngagedClickDays"
  > = DEFAULT_RFM_SETTINGS.behaviours,
): string[] {
  // A validated table reaches the scale's top score, and so does any run with customers.
  const scale = Math.max(
    0,
    ...rules.flatMap((x) => [x.r[1], x.f[1], x.m[1]]),
    ...[cutoffs.r, cutoffs.f, cutoffs.m].flatMap((l) => l.map((c) => c.score)),
  );
  if (key !== "lost_engaged")
    return rules.filter((x) => x.segment === key).map((x) => describeRow(x, cutoffs, scale, language, money));
  const { lostEngagedVisitDays: visit, lostEngagedClickDays: click } = engagement;
  const lostRows = rules.filter((x) => x.segment === "lost");
  const rows = lostRows.length > 0 ? lostRows.map((x) => describeRow(x, cutoffs, scale, language, money)) : [null];
  return rows.map((row) => {
    const why = row ? ` (${row.charAt(0).toLowerCase()}${row.slice(1)})` : "";
    return language === "nl"
      ? `Zou als verloren gelden${why}, maar bezocht je winkel in de afgelopen ${days(visit, language)} of klikte in de afgelopen ${days(click, language)} op een marketinge-mail`
      : `Would count as lost${why}, but visited your store in the last ${days(visit, language)} or clicked a marketing email in the last ${days(click, language)}`;
  });
}

const VIP_PERCENT: Partial<Record<BehaviourKey, number>> = { vip_top_1: 1, vip_top_5: 5, vip_top_20: 20 };

/** Brand lists can hold 50 vendors; a sentence names a few. */
const SHOWN_VENDORS = 5;

/** A behavioural segment's rule in plain words, with its current threshold where it has one. */
export function describeBehaviour(
  key: BehaviourKey,
  settings: RfmSettings,
  stats: BehaviourStats,
  language: Language,
  money: MoneyFormat,
): string {
  const nl = language === "nl";
  const b = settings.behaviours;
  switch (key) {
    case "vip_top_1":
    case "vip_top_5":
    case "vip_top_20": {
      const percent = VIP_PERCENT[key];
      const base = nl
        ? `Top ${percent}% van de klanten op netto besteding`
        : `Top ${percent}% of customers by net spend`;
      const min = stats.vipMinSpend?.[key];
      if (min === undefined) return base;
      if (min === null)
        return nl ? `${base}: bij deze scoreronde valt niemand in deze groep` : `${base}: nobody qualifies in this run`;
      return nl ? `${base}: ${money(min)} of meer` : `${base}: ${money(min)} or more`;
    }
    case "first_time_seasonal":
      return nl
        ? "Precies één bestelling, geplaatst in een piekseizoen (zoals Black Friday t/m Cyber Monday, 1–24 december of de week voor Moederdag)"
        : "Exactly one order, placed in a peak season (such as Black Friday to Cyber Monday, 1–24 December or the week before Mother's Day)";
    case "coupon_shopper":
      return nl ? "Gebruikte bij de eerste bestelling een kortingscode" : "Used a discount code on their first order";
    case "sale_shopper":
      return nl
        ? `Minstens ${b.saleShopperMinOrders} bestellingen op startdagen van acties (de eerste dag dat een actiecode werd gebruikt, of de eerste dag van een piekseizoen)`
        : `At least ${b.saleShopperMinOrders} orders on sale launch days (the first day a sale code was used, or the first day of a peak season)`;
    case "dissatisfied": {
      const median = typeof stats.medianGapDays === "number" ? Math.round(stats.medianGapDays) : null;
      const gap = median ?? b.dissatisfiedFallbackGapDays;
      const source =
        median !== null
          ? nl
            ? "de mediaan van je winkel"
            : "your shop's median"
          : nl
            ? "de standaardwaarde"
            : "the default";
      return nl
        ? `Kreeg een terugbetaling, bestelde sindsdien niet meer en is nu langer weg dan gebruikelijk (hun gemiddelde tijd tussen bestellingen; bij één bestelling ${days(gap, language)}, ${source})`
        : `Got a refund, has not ordered since, and has now been away longer than usual (their average time between orders; with one order ${days(gap, language)}, ${source})`;
    }
    case "brand_loyal": {
      if (b.brandVendors.length === 0)
        return nl
          ? "Uit: kies eerst een of meer merken in de instellingen"
          : "Off: choose one or more vendors in the settings first";
      const shown = b.brandVendors.slice(0, SHOWN_VENDORS);
      const rest = b.brandVendors.length - shown.length;
      const names = rest > 0 ? [...shown, nl ? `nog ${rest} andere` : `${rest} more`] : shown;
      return nl
        ? `Elke bestelling bevat een product van ${joinList(names, language, "of")}`
        : `Every order contains a product from ${joinList(names, language, "or")}`;
    }
    case "high_value_at_risk": {
      const own = b.highValueMinSpend;
      const min = own ?? stats.highValueMinSpend ?? stats.vipMinSpend?.vip_top_5 ?? null;
      const inactive = days(b.highValueInactiveDays, language);
      if (min === null)
        return nl
          ? `In totaal minstens de top-5%-grens besteed en al ${inactive} of langer niet besteld`
          : `Spent at least the top 5% threshold in total and has not ordered for ${inactive} or more`;
      const note = own === null ? (nl ? " (je top-5%-grens)" : " (your top 5% threshold)") : "";
      return nl
        ? `In totaal ${money(min)} of meer besteed${note} en al ${inactive} of langer niet besteld`
        : `Spent ${money(min)} or more in total${note} and has not ordered for ${inactive} or more`;
    }
    case "likely_to_churn": {
      const own = b.highValueMinSpend;
      const min = own ?? stats.highValueMinSpend ?? stats.vipMinSpend?.vip_top_5 ?? null;
      const chance = percentOf(b.churnMaxPAlive);
      const spent =
        min === null
          ? nl
            ? "In totaal minstens de top-5%-grens besteed"
            : "Spent at least the top 5% threshold in total"
          : nl
            ? `In totaal ${money(min)} of meer besteed${own === null ? " (je top-5%-grens)" : ""}`
            : `Spent ${money(min)} or more in total${own === null ? " (your top 5% threshold)" : ""}`;
      return nl
        ? `${spent}, en de kans dat ze nog bij je kopen is volgens de voorspelling kleiner dan ${chance}`
        : `${spent}, and the predicted chance that they still buy from you is below ${chance}`;
    }
    case "rising_star":
      return nl
        ? "Hun voorspelde waarde voor de komende 12 maanden hoort bij de hoogste 10% van je klanten, maar ze zijn nog geen topklant of loyale klant"
        : "Their predicted value for the next 12 months is in the top 10% of your customers, but they are not Champions or Loyal yet";
    case "ordering_soon": {
      const chance = percentOf(b.orderSoonMinP);
      return nl
        ? `De voorspelde kans op een bestelling in de komende 30 dagen is ${chance} of meer`
        : `The predicted chance of an order in the next 30 days is ${chance} or more`;
    }
  }
}

/** A probability setting as a whole percentage ("30%"), the same in both languages. */
const percentOf = (p: number) => `${Math.round(p * 100)}%`;
