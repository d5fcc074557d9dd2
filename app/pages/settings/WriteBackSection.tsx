import { Card, Checkbox, ChoiceList, FormLayout, Layout, Select, TextField } from "@shopify/polaris";
import { useI18n } from "../../i18n/use-i18n";
import { BEHAVIOUR_KEYS } from "../../domain/rfm/behaviours";
import type { RfmSettings } from "../../domain/rfm/settings";
import type { PresetNames, SectionProps } from "./settings-form";

/** What the app writes back to Shopify: the tag prefix, segment tags, which behaviours become tags. */
export function WriteBackSection({
  rfm,
  setRfm,
  errorAt,
  names,
  adminLanguage,
}: SectionProps & { names: PresetNames; adminLanguage: "en" | "nl" }) {
  const { t } = useI18n();
  const setWriteBack = (patch: Partial<RfmSettings["writeBack"]>) =>
    setRfm({ writeBack: { ...rfm.writeBack, ...patch } });
  return (
    <Layout.AnnotatedSection title={t.settings.writeBackTitle}>
      <Card>
        <FormLayout>
          <TextField
            label={t.settings.tagPrefix}
            autoComplete="off"
            id="setting-tag-prefix"
            value={rfm.writeBack.tagPrefix}
            error={errorAt("rfm.writeBack.tagPrefix")}
            onChange={(v) => setWriteBack({ tagPrefix: v })}
          />
          <Checkbox
            label={t.settings.segmentTags}
            checked={rfm.writeBack.segmentTags}
            onChange={(v) => setWriteBack({ segmentTags: v })}
          />
          <ChoiceList
            allowMultiple
            title={t.settings.behaviourTags}
            choices={BEHAVIOUR_KEYS.map((k) => ({ label: rfm.names[k] ?? names[k], value: k }))}
            selected={rfm.writeBack.behaviourTags}
            onChange={(v) => setWriteBack({ behaviourTags: v as RfmSettings["writeBack"]["behaviourTags"] })}
          />
          <Select
            label={t.settings.segmentLanguage}
            helpText={t.settings.segmentLanguageHelp}
            id="setting-segment-language"
            options={[
              { label: t.settings.languageEn, value: "en" },
              { label: t.settings.languageNl, value: "nl" },
            ]}
            value={rfm.writeBack.language ?? adminLanguage}
            onChange={(v) => setWriteBack({ language: v === "nl" ? "nl" : "en" })}
          />
        </FormLayout>
      </Card>
    </Layout.AnnotatedSection>
  );
}
