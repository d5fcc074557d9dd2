import { Card, FormLayout, Layout, TextField } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import type { PeakSeason } from "../../domain/peak-seasons";
import { int, numText, type SectionProps } from "./settings-form";

/** The peak seasons a first order is counted in (Black Friday, Mother's Day, fixed date ranges). */
export function PeakSeasonsSection({
  peakSeasons,
  setPeak,
  errorAt,
}: Pick<SectionProps, "errorAt"> & {
  peakSeasons: PeakSeason[];
  setPeak: (i: number, patch: Partial<PeakSeason>) => void;
}) {
  const { t } = useI18n();
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
                <TextField
                  label={fill(t.settings.peakFixed, { key: p.key })}
                  autoComplete="off"
                  id={`peak-${p.key}-from`}
                  value={p.from}
                  error={errorAt(`peakSeasons.${i}.from`)}
                  onChange={(v) => setPeak(i, { from: v })}
                />
                <TextField
                  label={t.settings.peakFixedTo}
                  autoComplete="off"
                  id={`peak-${p.key}-to`}
                  value={p.to}
                  error={errorAt(`peakSeasons.${i}.to`)}
                  onChange={(v) => setPeak(i, { to: v })}
                />
              </FormLayout.Group>
            ),
          )}
        </FormLayout>
      </Card>
    </Layout.AnnotatedSection>
  );
}
