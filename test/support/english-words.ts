import { MESSAGES } from "../../app/i18n/messages";
import { PRESETS, SEGMENT_DESCRIPTIONS } from "../../app/i18n/rfm/presets";
import { recommendedActions } from "../../app/i18n/rfm/actions";
import { SEGMENT_KEYS } from "../../app/domain/rfm/segments";
import { BEHAVIOUR_KEYS } from "../../app/domain/rfm/behaviours";

/**
 * "No English on the Dutch pages", word by word: a word of the rendered
 * text counts as English when the English catalog uses it and the Dutch one
 * never does (so "Shopify", "segment" or "Black Friday", which the Dutch
 * copy uses too, never count), minus a short reviewed allowlist.
 */

/** Reviewed: brand and product names and shared technical words a Dutch page may show even where the Dutch catalog happens not to. */
export const ALLOWED_WORDS: readonly string[] = [
  "shopify", // the platform
  "flow", // Shopify Flow, a product name
  "email", // Shopify Email, a product name (Dutch copy writes e-mail otherwise)
  "rfm", // recency, frequency, monetary: the method's name in both languages
  "vip", // used as is in Dutch
  "csv",
  "json",
  "black",
  "friday", // Black Friday, the day's name in Dutch too
  "cyber",
  "monday",
];

type Tree = string | readonly string[] | { readonly [k: string]: Tree };

function strings(tree: Tree, out: string[] = []): string[] {
  if (typeof tree === "string") out.push(tree);
  else if (Array.isArray(tree)) for (const s of tree) strings(s, out);
  else for (const v of Object.values(tree)) strings(v as Tree, out);
  return out;
}

const KEYS = [...SEGMENT_KEYS, ...BEHAVIOUR_KEYS];

/** Every merchant-facing string of a language: the message catalog, segment names, descriptions and advice. */
export function catalogStrings(language: "en" | "nl"): string[] {
  return [
    ...strings(MESSAGES[language] as unknown as Tree),
    ...Object.values(PRESETS[language]),
    ...Object.values(SEGMENT_DESCRIPTIONS[language]),
    ...KEYS.flatMap((k) => recommendedActions(k, language)),
  ];
}

/**
 * The words of a text, lower-case. Not words: placeholders, e-mail addresses,
 * URLs, digits, identifiers (read_all_orders, customers/data_request) and
 * menu paths quoted from another product's English UI ("(Apps → … → Request access)").
 */
export function wordsOf(text: string): string[] {
  const cleaned = text
    .replace(/\{\w+\}/g, " ")
    .replace(/\S+@\S+/g, " ")
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/\([^()]*→[^()]*\)/g, " ")
    .replace(/[\p{L}\d]*_[\p{L}\d_/]*|\p{L}+\/[\p{L}_]{2,}/gu, " ");
  return (cleaned.match(/\p{L}+(?:['’]\p{L}+)*/gu) ?? []).map((w) => w.toLowerCase()).filter((w) => w.length > 1);
}

/** Words only the English catalog uses: what betrays an untranslated string. */
export function englishOnlyWords(english: readonly string[], dutch: readonly string[]): Set<string> {
  const nl = new Set(dutch.flatMap(wordsOf));
  return new Set(english.flatMap(wordsOf).filter((w) => !nl.has(w)));
}

let defaultWords: Set<string> | undefined;

/**
 * The English words in a Dutch page's rendered text, in order of first
 * appearance, each once. `allow` adds words that are the shop's own data
 * (customer names, the merchant's segment renames, vendor names).
 */
export function englishWords(
  text: string,
  options: { allow?: readonly string[]; english?: Set<string> } = {},
): string[] {
  const english = options.english ?? (defaultWords ??= englishOnlyWords(catalogStrings("en"), catalogStrings("nl")));
  const allowed = new Set([...ALLOWED_WORDS, ...(options.allow ?? []).flatMap(wordsOf)]);
  return [...new Set(wordsOf(text).filter((w) => english.has(w) && !allowed.has(w)))];
}
