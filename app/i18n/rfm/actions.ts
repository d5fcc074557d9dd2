import type { SegmentKey } from "../../domain/rfm/segments";
import type { BehaviourKey } from "../../domain/rfm/behaviours";

type Actions = Record<SegmentKey | BehaviourKey, readonly string[]>;

// Written per language, not translated word for word.
const EN: Actions = {
  champions: [
    "Skip the discounts: they already buy at full price.",
    "Give them early access to new products with a Shopify Email to this customer segment.",
    "Thank them personally, e.g. a handwritten card in their next parcel.",
    "Ask for a review or a referral: they are your most convincing ambassadors.",
  ],
  loyal: [
    "Reward them with a loyalty perk or VIP status rather than a discount.",
    "Recommend higher-value and complementary products in Shopify Email.",
    "Ask for reviews of the products they buy again and again.",
  ],
  potential_loyalist: [
    "Recommend matching products to raise their order value.",
    "Offer a bundle or free shipping above a minimum order value (Shopify discount).",
    "Invite them to your newsletter or loyalty programme so ordering becomes a habit.",
  ],
  new: [
    "Send a welcome series with Shopify Email: your story, how to use the product, where to get help.",
    "Give a time-limited incentive for the second order with a one-time discount code.",
    "Check in after delivery with an email that Shopify Flow sends automatically.",
  ],
  promising: [
    "Follow up the first purchase with matching products in Shopify Email.",
    "Offer free shipping or a small gift on the next order.",
    "Ask for a review of what they bought.",
  ],
  needs_attention: [
    "Send a limited-time offer based on what they bought before.",
    "Show bestsellers from their favourite category in Shopify Email.",
    "Ask in a short survey what would make them order more often.",
  ],
  about_to_sleep: [
    "Send a reminder with popular products or new arrivals before they drift off.",
    "Offer a small discount code that expires soon.",
    "Let Shopify Flow email customers as soon as they get this segment's tag.",
  ],
  at_risk: [
    "Send a personal win-back email, signed by a person rather than the brand, with a strong incentive.",
    "Remind them of what they bought and show what is new since then.",
    "Ask what went wrong and fix it before offering ever bigger discounts.",
  ],
  cant_lose: [
    "Win them back personally: a phone call or a handwritten letter from the owner.",
    "Make your best offer, such as a generous personal discount code or a gift.",
    "Find out why they stopped; keep them out of generic newsletters meanwhile.",
  ],
  hibernating: [
    "Include them in seasonal and sale campaigns in Shopify Email, not in every mailing.",
    "Show different categories than before: their first purchase may not have been the right fit.",
    "Stop mailing them after a few campaigns without a reaction, to protect your sender reputation.",
  ],
  lost: [
    "Make one last personalised attempt with your most relevant offer.",
    "No reaction? Stop mailing them: it hurts deliverability and costs money.",
    "Exclude this customer segment from paid retargeting audiences.",
  ],
  lost_engaged: [
    "They are still looking: send a win-back email with new arrivals and bestsellers.",
    "Offer a one-time comeback discount code that is valid for a short time.",
    "Keep them on your mailing list, unlike the rest of your lost customers.",
  ],
  vip_top_1: [
    "Treat them one by one: personal contact from the owner, not automated email.",
    "Give exclusive perks: early access, free express shipping, a gift with the next order.",
    "Ask for their opinion on new products before launch.",
  ],
  vip_top_5: [
    "Send launches to this customer segment first with Shopify Email.",
    "Reward them with perks such as free shipping or gifts instead of discounts.",
    "Switch on the VIP at risk tag and let Shopify Flow alert you when one of them gets it.",
  ],
  vip_top_20: [
    "Give this group first access to launches and restocks in Shopify Email.",
    "Encourage a step up with a gift above a minimum order value (Shopify discount).",
    "Use this customer segment as the seed for lookalike audiences in your ads.",
  ],
  first_time_seasonal: [
    "Thank them after the season and invite them back before the next peak.",
    "Send a gift reminder with Shopify Email ahead of the next occasion, such as Mother's Day or December.",
    "Mail them around the seasons, not every week: they buy for occasions.",
  ],
  coupon_shopper: [
    "Don't send full-price launches with a discount code: it teaches them to wait for one.",
    "Use tiered spend thresholds (spend more, save more) with an automatic Shopify discount instead of flat codes.",
    "Show value without a code: bundles, free shipping, loyalty points.",
  ],
  sale_shopper: [
    "Put them first in line for sales and clearance campaigns in Shopify Email.",
    "Leave them out of full-price launch campaigns, or send those without a discount.",
    "Give early access to the sale as their perk instead of a deeper discount.",
  ],
  dissatisfied: [
    "Follow up personally on the refund: ask what went wrong and how to make it right.",
    "Keep them out of promotional email until the issue is resolved.",
    "Switch on this segment's tag and let Shopify Flow notify customer service when a customer gets it.",
  ],
  brand_loyal: [
    "Announce new arrivals from this brand first, in a Shopify Email to this customer segment.",
    "Offer bundles or limited editions of the brand.",
    "Be careful recommending other brands: this brand is why they come.",
  ],
  high_value_at_risk: [
    "Reach out personally now, before they are lost: a call or a personal email.",
    "Make a strong personal offer, such as a personal discount code or a gift.",
    "Switch on this segment's tag and let Shopify Flow alert you the moment a customer gets it.",
  ],
  likely_to_churn: [
    "Win them back while the chance is still there: a personal email from you, not a newsletter.",
    "Offer something that is worth their coming back for, such as a gift with their next order.",
    "Switch on this segment's tag and let Shopify Flow alert you the moment a valuable customer gets it.",
  ],
  rising_star: [
    "Treat them like Champions already: early access to new products and a personal thank you.",
    "Invite them to your loyalty programme or VIP list.",
    "Recommend complementary products in Shopify Email so their next orders come sooner.",
  ],
  ordering_soon: [
    "Don't send a discount: they are likely to order anyway.",
    "Show them new arrivals and bestsellers in Shopify Email now, while they are about to buy.",
    "Suggest an add-on or bundle to raise their next order's value.",
  ],
};

const NL: Actions = {
  champions: [
    "Geef geen korting: ze kopen nu al tegen de volle prijs.",
    "Laat ze als eersten nieuwe producten zien, met een Shopify Email aan dit klantsegment.",
    "Bedank ze persoonlijk, bijvoorbeeld met een handgeschreven kaartje in het volgende pakket.",
    "Vraag om een review of een doorverwijzing: zij zijn je geloofwaardigste ambassadeurs.",
  ],
  loyal: [
    "Beloon ze met een spaarvoordeel of VIP-status in plaats van korting.",
    "Tip duurdere en aanvullende producten in Shopify Email.",
    "Vraag om reviews van de producten die ze steeds opnieuw kopen.",
  ],
  potential_loyalist: [
    "Raad bijpassende producten aan, zodat hun bestelbedrag omhooggaat.",
    "Bied een bundel of gratis verzending vanaf een minimumbedrag aan (Shopify-korting).",
    "Nodig ze uit voor je nieuwsbrief of spaarprogramma, zodat bestellen een gewoonte wordt.",
  ],
  new: [
    "Stuur een welkomstreeks met Shopify Email: je verhaal, gebruikstips en waar ze terechtkunnen met vragen.",
    "Geef een tijdelijke korting op de tweede bestelling met een eenmalige kortingscode.",
    "Vraag na de levering hoe het bevalt, met een e-mail die Shopify Flow automatisch verstuurt.",
  ],
  promising: [
    "Volg de eerste aankoop op met bijpassende producten in Shopify Email.",
    "Bied gratis verzending of een kleine attentie bij de volgende bestelling.",
    "Vraag om een review van wat ze kochten.",
  ],
  needs_attention: [
    "Stuur een tijdelijke aanbieding die aansluit op wat ze eerder kochten.",
    "Laat bestsellers uit hun favoriete categorie zien in Shopify Email.",
    "Vraag in een korte enquête wat ze vaker zou laten bestellen.",
  ],
  about_to_sleep: [
    "Stuur een herinnering met populaire producten of nieuwe items voordat ze afhaken.",
    "Geef een kleine kortingscode die snel verloopt.",
    "Laat Shopify Flow automatisch mailen zodra een klant de tag van dit segment krijgt.",
  ],
  at_risk: [
    "Stuur een persoonlijke e-mail om ze terug te winnen, ondertekend door een mens in plaats van het merk, met een stevig aanbod.",
    "Herinner ze aan wat ze kochten en laat zien wat er sindsdien nieuw is.",
    "Vraag wat er misging en los dat op, in plaats van steeds meer korting te geven.",
  ],
  cant_lose: [
    "Haal ze persoonlijk terug: bel ze op of stuur een handgeschreven brief van de eigenaar.",
    "Doe je beste aanbod, zoals een royale persoonlijke kortingscode of een cadeau.",
    "Zoek uit waarom ze afhaakten en stuur ze intussen geen standaardnieuwsbrief.",
  ],
  hibernating: [
    "Neem ze mee in seizoens- en uitverkoopcampagnes in Shopify Email, niet in elke mailing.",
    "Laat andere categorieën zien dan eerder: hun eerste aankoop paste misschien niet.",
    "Reageren ze na een paar campagnes niet, stop dan met mailen; dat beschermt je afzenderreputatie.",
  ],
  lost: [
    "Doe nog één laatste persoonlijke poging met je meest relevante aanbod.",
    "Geen reactie? Stop met mailen: het schaadt je bezorgbaarheid en kost geld.",
    "Sluit dit klantsegment uit van je betaalde retargetingcampagnes.",
  ],
  lost_engaged: [
    "Ze kijken nog rond: stuur een e-mail om ze terug te winnen, met nieuwe producten en bestsellers.",
    "Geef een eenmalige kortingscode om terug te komen, die kort geldig is.",
    "Houd ze op je mailinglijst, anders dan de rest van je verloren klanten.",
  ],
  vip_top_1: [
    "Behandel ze één voor één: persoonlijk contact met de eigenaar, geen automatische e-mail.",
    "Geef exclusieve voordelen: eerder toegang, gratis spoedlevering, een cadeautje bij de volgende bestelling.",
    "Vraag hun mening over nieuwe producten vóór de lancering.",
  ],
  vip_top_5: [
    "Stuur nieuwe collecties eerst naar dit klantsegment met Shopify Email.",
    "Beloon ze met extraatjes zoals gratis verzending of cadeautjes in plaats van korting.",
    "Zet de tag voor VIP's met risico aan en laat Shopify Flow je waarschuwen zodra een van hen die krijgt.",
  ],
  vip_top_20: [
    "Geef deze groep voorrang bij lanceringen en nieuwe voorraad in Shopify Email.",
    "Stimuleer een stap omhoog met een cadeau vanaf een minimumbedrag (Shopify-korting).",
    "Gebruik dit klantsegment als basis voor lookalike-doelgroepen in je advertenties.",
  ],
  first_time_seasonal: [
    "Bedank ze na het seizoen en nodig ze vóór de volgende piek uit om terug te komen.",
    "Stuur vóór de volgende gelegenheid, zoals Moederdag of december, een cadeautip met Shopify Email.",
    "Mail ze rond de seizoenen, niet elke week: ze kopen voor gelegenheden.",
  ],
  coupon_shopper: [
    "Stuur nieuwe collecties tegen de volle prijs niet met een kortingscode: dan leren ze daarop te wachten.",
    "Werk met staffelkorting (hoe meer ze besteden, hoe meer korting) via een automatische Shopify-korting in plaats van vaste codes.",
    "Laat waarde zien zonder code: bundels, gratis verzending, spaarpunten.",
  ],
  sale_shopper: [
    "Zet ze vooraan bij uitverkoop- en opruimingsacties in Shopify Email.",
    "Laat ze weg uit campagnes voor nieuwe collecties tegen de volle prijs, of stuur die zonder korting.",
    "Geef ze eerder toegang tot de uitverkoop als voordeel, in plaats van meer korting.",
  ],
  dissatisfied: [
    "Neem persoonlijk contact op over de terugbetaling: vraag wat er misging en hoe je het goed kunt maken.",
    "Stuur ze geen promotie-e-mails tot het probleem is opgelost.",
    "Zet de tag van dit segment aan en laat Shopify Flow de klantenservice waarschuwen zodra een klant hem krijgt.",
  ],
  brand_loyal: [
    "Kondig nieuwe producten van dit merk als eerste aan, met een Shopify Email aan dit klantsegment.",
    "Bied bundels of gelimiteerde edities van het merk aan.",
    "Wees voorzichtig met andere merken aanraden: ze komen juist voor dit merk.",
  ],
  high_value_at_risk: [
    "Neem nu persoonlijk contact op, voordat ze afhaken: bel of stuur een persoonlijke e-mail.",
    "Doe een sterk persoonlijk aanbod, zoals een persoonlijke kortingscode of een cadeau.",
    "Zet de tag van dit segment aan en laat Shopify Flow je waarschuwen zodra een klant hem krijgt.",
  ],
  likely_to_churn: [
    "Haal ze terug nu de kans er nog is: een persoonlijke e-mail van jou, geen nieuwsbrief.",
    "Bied iets waarvoor terugkomen de moeite waard is, zoals een cadeau bij hun volgende bestelling.",
    "Zet de tag van dit segment aan en laat Shopify Flow je waarschuwen zodra een waardevolle klant hem krijgt.",
  ],
  rising_star: [
    "Behandel ze nu al als topklanten: als eersten nieuwe producten zien en een persoonlijk bedankje.",
    "Nodig ze uit voor je spaarprogramma of VIP-lijst.",
    "Raad aanvullende producten aan in Shopify Email, zodat hun volgende bestellingen sneller komen.",
  ],
  ordering_soon: [
    "Stuur geen korting: ze bestellen waarschijnlijk toch.",
    "Laat ze nu nieuwe producten en bestsellers zien in Shopify Email, nu ze op het punt staan te kopen.",
    "Stel een aanvulling of bundel voor, zodat hun volgende bestelling hoger uitvalt.",
  ],
};

/** 2–4 concrete next steps for a segment or behaviour, naming the Shopify tool where one fits. */
export function recommendedActions(key: SegmentKey | BehaviourKey, language: "en" | "nl"): string[] {
  return [...(language === "nl" ? NL : EN)[key]];
}

/** The Shopify tool an action names, for a link to its admin page (null: it names none). */
export type ActionTool = "flow" | "email" | "discounts" | "segment";

const TOOL_PATTERNS: [ActionTool, RegExp][] = [
  ["flow", /Shopify Flow/],
  ["email", /Shopify Email/],
  ["discounts", /discount code|Shopify discount|kortingscode|Shopify-korting/i],
  ["segment", /customer segment|klantsegment/i],
];

/** The first tool in the list above the text names (the one to act with: an email to a segment is Email). */
export function actionTool(text: string): ActionTool | null {
  return TOOL_PATTERNS.find(([, pattern]) => pattern.test(text))?.[0] ?? null;
}
