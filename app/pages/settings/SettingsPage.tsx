import { useEffect, useMemo, useState } from "react";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, Layout, Page } from "@shopify/polaris";
import { SaveBar, useAppBridge } from "@shopify/app-bridge-react";
import { useI18n } from "../../i18n/use-i18n";
import { PRESETS } from "../../i18n/rfm/presets";
import { formatDayMonth } from "../../i18n/day-month";
import type { RfmSettings } from "../../domain/rfm/settings";
import type { PeakSeason } from "../../domain/peak-seasons";
import type { settingsAction, settingsPageData } from "./settings-page.server";
import { errorText, thresholdTextOf, type SettingsForm } from "./settings-form";
import { ScoringSection } from "./ScoringSection";
import { NamesSection } from "./NamesSection";
import { RulesSection } from "./RulesSection";
import { BehavioursSection } from "./BehavioursSection";
import { EXAMPLE_DAY, PeakSeasonsSection } from "./PeakSeasonsSection";
import { WriteBackSection } from "./WriteBackSection";
import { PredictionsSection } from "./PredictionsSection";

/** The RFM settings form: edits stay in the page until saved from the save bar. */
export function SettingsPage() {
  const loaded = useLoaderData<typeof settingsPageData>();
  const result = useActionData<typeof settingsAction>();
  const submit = useSubmit();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  const { t, formatLocale } = useI18n();
  const dateExample = formatDayMonth(EXAMPLE_DAY, formatLocale);
  const initial = useMemo<SettingsForm>(
    () => ({ rfm: loaded.rfm as RfmSettings, peakSeasons: loaded.peakSeasons as PeakSeason[] }),
    [loaded],
  );
  const [form, setForm] = useState<SettingsForm>(initial);
  const [thresholdText, setThresholdText] = useState(thresholdTextOf(initial.rfm));
  const [vendorText, setVendorText] = useState(initial.rfm.behaviours.brandVendors.join(", "));
  /** Back to what is stored: after a save that took (the loader reloads), or on Discard. */
  const discard = () => {
    setForm(initial);
    setThresholdText(thresholdTextOf(initial.rfm));
    setVendorText(initial.rfm.behaviours.brandVendors.join(", "));
  };
  // Only when the stored settings change.
  useEffect(discard, [initial]);
  const saving = navigation.state === "submitting";
  const dirty = JSON.stringify(form) !== JSON.stringify(initial);
  useEffect(() => {
    if (result?.saved) shopify.toast.show(t.settings.saved);
  }, [result, shopify, t]);

  const problems = result && !result.saved ? result.problems : [];
  const errorAt = (prefix: string) => {
    const p = problems.find((x) => x.path === prefix || x.path.startsWith(`${prefix}.`));
    return p ? errorText(p.path, t, dateExample) : undefined;
  };
  const rfm = form.rfm;
  const setRfm = (patch: Partial<RfmSettings>) => setForm((f) => ({ ...f, rfm: { ...f.rfm, ...patch } }));
  const setPeak = (i: number, patch: Partial<PeakSeason>) =>
    setForm((f) => ({
      ...f,
      peakSeasons: f.peakSeasons.map((p, j) => (j === i ? ({ ...p, ...patch } as PeakSeason) : p)),
    }));
  const names = PRESETS[rfm.preset ?? loaded.autoPreset];
  const save = () => submit(JSON.stringify(form), { method: "post", encType: "application/json" });
  const section = { rfm, setRfm, errorAt };

  return (
    <Page title={t.settings.title} backAction={{ content: t.common.back, url: "/app" }}>
      <SaveBar id="settings-save-bar" open={dirty}>
        <button variant="primary" onClick={save} disabled={saving}>
          {t.common.save}
        </button>
        <button onClick={discard}>{t.common.discard}</button>
      </SaveBar>
      <Layout>
        {problems.length > 0 && (
          <Layout.Section>
            <Banner tone="critical" title={t.settings.invalid}>
              <ul id="settings-errors">
                {problems.map((p) => (
                  <li key={p.path}>{errorText(p.path, t, dateExample)}</li>
                ))}
              </ul>
            </Banner>
          </Layout.Section>
        )}
        {result?.saved && !dirty && (
          <Layout.Section>
            <Banner tone="success">
              <p id="settings-saved">{t.settings.saved}</p>
            </Banner>
          </Layout.Section>
        )}
        <ScoringSection {...section} thresholdText={thresholdText} setThresholdText={setThresholdText} />
        <NamesSection {...section} names={names} />
        <RulesSection {...section} names={names} />
        <BehavioursSection {...section} names={names} vendorText={vendorText} setVendorText={setVendorText} />
        <PredictionsSection {...section} />
        <PeakSeasonsSection peakSeasons={form.peakSeasons} setPeak={setPeak} errorAt={errorAt} />
        <WriteBackSection {...section} names={names} adminLanguage={loaded.autoPreset === "nl" ? "nl" : "en"} />
      </Layout>
    </Page>
  );
}
