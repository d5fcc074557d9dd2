import { describe, expect, it } from "vitest";
import { catalogStrings } from "../../test/support/english-words";
import { PRESETS } from "./rfm/presets";
import { MESSAGES } from "./messages";

describe("the catalog's house rules", () => {
  const nl = catalogStrings("nl");
  const both = [...catalogStrings("en"), ...nl];

  it("GIVEN the Dutch copy THEN no English 'run'/'runs', and e-mail and metavelden the way Shopify's Dutch admin writes them", () => {
    expect(nl.filter((s) => /\bruns?\b/i.test(s))).toEqual([]);
    expect(
      nl.filter((s) =>
        /\bmetafields\b|\banalytics\b|marketingmail|\b(een|de|die|automatische|persoonlijke) mail\b|(?<![-\p{L}])mails\b/iu.test(
          s,
        ),
      ),
    ).toEqual([]);
  });

  it("GIVEN the Dutch copy THEN one name per concept: writing to Shopify is 'naar Shopify schrijven', consent is 'aangemeld', back is 'Terug'", () => {
    expect(nl.filter((s) => /terugschrij|teruggeschreven/i.test(s))).toEqual([]);
    expect(nl.filter((s) => /\b(toegestaan|accepteert|abonnees?)\b/i.test(s))).toEqual([]);
    expect(MESSAGES.nl.common.back).toBe("Terug");
  });

  it("GIVEN percentages in copy THEN written as Intl writes them (42%), never with a space", () => {
    expect(both.filter((s) => /\d %/.test(s))).toEqual([]);
  });

  it("GIVEN labels THEN no internal date format and no internal keys", () => {
    expect(both.filter((s) => /MM-DD|\{key\}/.test(s))).toEqual([]);
  });

  it("GIVEN the behaviour settings THEN each label names its segment through {name}, so it matches the dashboard", () => {
    for (const language of ["en", "nl"] as const) {
      const s = MESSAGES[language].settings;
      for (const label of [
        s.saleShopperMinOrders,
        s.fallbackGap,
        s.brandVendors,
        s.highValueMinSpend,
        s.highValueInactiveDays,
        s.churnMaxPAlive,
        s.orderSoonMinP,
        s.lostEngagedVisitDays,
        s.lostEngagedClickDays,
      ])
        expect(label.startsWith("{name}: ")).toBe(true);
    }
    // The Dutch names the issue found in two forms, now one.
    expect(PRESETS.nl.sale_shopper).toBe("Koopjesjagers");
    expect(PRESETS.nl.high_value_at_risk).toBe("VIP's met risico");
    expect(nl.filter((s) => /Uitverkoopjager|Koopjesjager\b|Waardevol en in gevaar/.test(s))).toEqual([]);
  });
});
