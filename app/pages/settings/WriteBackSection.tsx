import { Card, Checkbox, ChoiceList, FormLayout, Layout, TextField } from "@shopify/polaris";
import { useI18n } from "../../i18n/use-i18n";
import { BEHAVIOUR_KEYS } from "../../domain/rfm/behaviours";
import type { RfmSettings } from "../../domain/rfm/settings";
import type { PresetNames, SectionProps } from "./settings-form";

/** What the app writes back to Shopify: the tag prefix, segment tags, which behaviours become tags. */
export function WriteBackSection({ rfm, setRfm, errorAt, names }: SectionProps & { names: PresetNames }) {
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
        </FormLayout>
      </Card>
    </Layout.AnnotatedSection>
  );
}
