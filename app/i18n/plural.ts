import type { Language } from "./locale";

/** A count message in its singular and plural form: "{n} segment changed" / "{n} segments changed". */
export interface Plural {
  one: string;
  other: string;
}

const rules: Partial<Record<Language, Intl.PluralRules>> = {};

/** The form a count takes in the language (English and Dutch: one for exactly 1, else other). */
export function pluralForm(n: number, language: Language): keyof Plural {
  const rule = (rules[language] ??= new Intl.PluralRules(language));
  return rule.select(n) === "one" ? "one" : "other";
}

/**
 * The count's message with {n} filled by `shown` (the formatted number), and
 * any other placeholders by `values`.
 */
export function plural(
  message: Plural,
  n: number,
  language: Language,
  shown: string = String(n),
  values: Record<string, string | number> = {},
): string {
  const all: Record<string, string | number> = { ...values, n: shown };
  return message[pluralForm(n, language)].replace(/\{(\w+)\}/g, (_, k: string) => String(all[k] ?? `{${k}}`));
}
