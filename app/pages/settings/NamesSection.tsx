import { Card, FormLayout, InlineGrid, Layout, Select, TextField } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import { SEGMENT_KEYS } from "../../domain/rfm/segments";
import { BEHAVIOUR_KEYS } from "../../domain/rfm/behaviours";
import type { RfmSettings } from "../../domain/rfm/settings";
import type { PresetNames, SectionProps } from "./settings-form";

/** The name preset and the merchant's own name for each segment and behaviour. */
export function NamesSection({ rfm, setRfm, errorAt, names }: SectionProps & { names: PresetNames }) {
  const { t } = useI18n();
  return (
    <Layout.AnnotatedSection title={t.settings.namesTitle}>
      <Card>
        <FormLayout>
          <Select
            label={t.settings.preset}
            id="setting-preset"
            options={[
              { label: t.settings.presetAuto, value: "" },
              { label: t.settings.presetNl, value: "nl" },
              { label: t.settings.presetEn, value: "en" },
              { label: t.settings.presetPlayful, value: "playful" },
            ]}
            value={rfm.preset ?? ""}
            onChange={(v) => setRfm({ preset: v === "" ? null : (v as RfmSettings["preset"]) })}
          />
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
            {[...SEGMENT_KEYS, ...BEHAVIOUR_KEYS].map((key) => (
              <TextField
                key={key}
                id={`setting-name-${key}`}
                label={fill(t.settings.rename, { name: names[key] })}
                placeholder={names[key]}
                autoComplete="off"
                value={rfm.names[key] ?? ""}
                error={errorAt(`rfm.names.${key}`)}
                onChange={(v) => {
                  const next = { ...rfm.names };
                  if (v === "") delete next[key];
                  else next[key] = v;
                  setRfm({ names: next });
                }}
              />
            ))}
          </InlineGrid>
        </FormLayout>
      </Card>
    </Layout.AnnotatedSection>
  );
}
