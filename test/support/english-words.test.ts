import { describe, expect, it } from "vitest";
import { catalogStrings, englishOnlyWords, englishWords, wordsOf } from "./english-words";

describe("the English-word check for Dutch pages", () => {
  // What the Dutch dashboard shows, as the browser's innerText gives it.
  const dutchPage = [
    "RFM-segmenten",
    "Bestelgeschiedenis",
    "Bijgewerkt",
    "1.234 van 1.234 bestellingen · Laatst gesynchroniseerd 2 dec. 10:15",
    "Gescoord op 2 dec. 2026 · 300 klanten",
    "Segmenten",
    "Topklanten\t42\t14%\t38%",
    "Verloren maar betrokken",
    "Kijkt vaak, kocht nooit: 3",
    "Stuur een herinnering met Shopify Email; laat Shopify Flow mailen. Black Friday t/m Cyber Monday.",
    "anna.bakker@example.nl https://admin.shopify.com/store/demo/customers/123",
  ].join("\n");

  it("GIVEN a Dutch page as the app renders it THEN no English word is found", () => {
    expect(englishWords(dutchPage)).toEqual([]);
  });

  it("GIVEN the same page with one English string planted THEN the check finds its words", () => {
    const planted = dutchPage.replace("Segmenten", "Segmenten\nRevenue concentration");
    expect(englishWords(planted)).toEqual(["revenue", "concentration"]);
    expect(englishWords(`${dutchPage}\nNo customer changed segment in the last 30 days.`)).toEqual(
      expect.arrayContaining(["no", "changed", "the", "last", "days"]),
    );
  });

  it("GIVEN an English word that is the shop's own data THEN the allow list of that page keeps it", () => {
    const page = `${dutchPage}\nJoy Loyal`;
    expect(englishWords(page)).toEqual(["loyal"]);
    expect(englishWords(page, { allow: ["Joy Loyal"] })).toEqual([]);
  });

  it("GIVEN the catalogs THEN words both languages use do not count, words only English uses do", () => {
    const english = englishOnlyWords(catalogStrings("en"), catalogStrings("nl"));
    for (const shared of ["shopify", "segment", "status", "code", "bestsellers"])
      expect(english.has(shared)).toBe(false);
    for (const only of ["customers", "orders", "revenue", "the", "and"]) expect(english.has(only)).toBe(true);
    expect(wordsOf("Hallo {name}, klant's e-mail: x@y.nl 42 % read_all_orders customers/data_request t/m")).toEqual([
      "hallo",
      "klant's",
      "mail",
    ]);
    expect(wordsOf("Partner Dashboard (Apps → deze app → Request access); klaar")).toEqual([
      "partner",
      "dashboard",
      "klaar",
    ]);
  });
});
