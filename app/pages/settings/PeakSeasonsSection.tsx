import { useState } from "react";
import { Card, FormLayout, Layout, TextField } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import { formatDayMonth, parseDayMonth } from "../../i18n/day-month";
import type { Messages } from "../../i18n/messages";
import type { PeakSeason } from "../../domain/peak-seasons";
import { int, numText, type SectionProps } from "./settings-form";

/** The day the date fields' help and errors show as an example (1 December, as the locale writes it). */
export const EXAMPLE_DAY = "12-01";

/** A season's name for the merchant: the catalog's, else its key in words ("summer_sale" → "Summer sale"). */
export function seasonName(key: string, t: Messages): string {
  const known = t.settings.peakNames[key];
  if (known) return known;
  const words = key.replace(/_/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The peak seasons a first order is counted in (Black Friday, Mother's Day,
 * fixed date ranges). Fixed days are typed as the admin's locale writes them
 * and stored as MM-DD; what does not read as a day is sent empty, which the
 * save refuses on that field.
 */
export function PeakSeasonsSection({
  peakSeasons,
  setPeak,
  errorAt,
}: Pick<SectionProps, "errorAt"> & {
  peakSeasons: PeakSeason[];
  setPeak: (i: number, patch: Partial<PeakSeason>) => void;
}) {
  const { t, formatLocale } = useI18n();
  // What the merchant typed, per field: shown while it still says the stored day (or is the unreadable one).
  const [typed, setTyped] = useState<Record<string, string>>({});
  const shown = (field: string, stored: string) => {
    const text = typed[field];
    return text !== undefined && (parseDayMonth(text, formatLocale) ?? "") === stored
      ? text
      : formatDayMonth(stored, formatLocale);
  };
  const dayField = (i: number, p: Extract<PeakSeason, { kind: "fixed" }>, side: "from" | "to") => {
    const field = `peak-${p.key}-${side}`;
    return (
      <TextField
        label={fill(side === "from" ? t.settings.peakFixed : t.settings.peakFixedTo, { season: seasonName(p.key, t) })}
        helpText={fill(t.settings.peakDateHelp, { example: formatDayMonth(EXAMPLE_DAY, formatLocale) })}
        autoComplete="off"
        id={field}
        value={shown(field, p[side])}
        error={errorAt(`peakSeasons.${i}.${side}`)}
        onChange={(v) => {
          setTyped((all) => ({ ...all, [field]: v }));
          setPeak(i, { [side]: parseDayMonth(v, formatLocale) ?? "" });
        }}
      />
    );
  };
  return (
    <Layout.AnnotatedSection title={t.settings.peakTitle} description={t.settings.peakHelp}>
      <Card>
        <FormLayout>
          {peakSeasons.map((p, i) =>
            p.kind === "black_friday" ? (
              <TextField
                key={p.key}
                label={t.settings.peakBlackFriday}
                type="number"
                autoComplete="off"
                value={numText(p.days)}
                error={errorAt(`peakSeasons.${i}`)}
                onChange={(v) => setPeak(i, { days: int(v) })}
              />
            ) : p.kind === "mothers_day" ? (
              <TextField
                key={p.key}
                label={t.settings.peakMothersDay}
                type="number"
                autoComplete="off"
                value={numText(p.daysBefore)}
                error={errorAt(`peakSeasons.${i}`)}
                onChange={(v) => setPeak(i, { daysBefore: int(v) })}
              />
            ) : (
              <FormLayout.Group key={p.key}>
                {dayField(i, p, "from")}
                {dayField(i, p, "to")}
              </FormLayout.Group>
            ),
          )}
        </FormLayout>
      </Card>
    </Layout.AnnotatedSection>
  );
}
