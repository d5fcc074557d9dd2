import { useMemo } from "react";
import { useRouteLoaderData } from "@remix-run/react";
import { formatters, type Formatters } from "./format";
import { MESSAGES, type Messages } from "./messages";
import type { Language } from "./locale";

/** What the app layout's loader tells every page about language and formatting. */
export interface LocaleContext {
  language: Language;
  formatLocale: string;
  currency: string | null;
  timeZone: string | null;
}

/** The admin's language and the shop's formats, for any page under /app. */
export function useI18n(): { t: Messages; fmt: Formatters; language: Language; formatLocale: string } {
  const data = useRouteLoaderData<{ locale: LocaleContext }>("routes/app");
  const locale = data?.locale ?? { language: "en", formatLocale: "en-US", currency: null, timeZone: null };
  return useMemo(
    () => ({
      t: MESSAGES[locale.language],
      fmt: formatters(locale.formatLocale, locale.currency, locale.timeZone),
      language: locale.language,
      formatLocale: locale.formatLocale,
    }),
    [locale.language, locale.formatLocale, locale.currency, locale.timeZone],
  );
}

/** Fills {name} placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? `{${k}}`));
}
