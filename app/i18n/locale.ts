/** The languages the app speaks; every other admin language falls back to English. */
export type Language = "en" | "nl";

export function languageOf(locale: string | null | undefined): Language {
  return locale && /^nl\b/i.test(locale) ? "nl" : "en";
}

/**
 * The BCP 47 tag numbers and dates are formatted with: the admin's own
 * locale when it is in a language we speak (en-GB keeps its day-month
 * order), else the language's usual one.
 */
export function formatLocaleOf(locale: string | null | undefined): string {
  const language = languageOf(locale);
  if (locale) {
    try {
      const [canonical] = Intl.getCanonicalLocales(locale);
      if (canonical && languageOf(canonical) === language && canonical.includes("-")) return canonical;
    } catch {
      // Not a locale tag: use the language's default.
    }
  }
  return language === "nl" ? "nl-NL" : "en-US";
}
