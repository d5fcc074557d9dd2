import { Card, FormLayout, Layout, Select, TextField } from "@shopify/polaris";
import { useI18n } from "../../i18n/use-i18n";
import { DEFAULT_FREQUENCY_THRESHOLDS, type RfmSettings } from "../../domain/rfm/settings";
import { int, numText, type SectionProps } from "./settings-form";

const HOURS = Array.from({ length: 24 }, (_, h) => ({ label: `${String(h).padStart(2, "0")}:00`, value: String(h) }));

/** Scale, window, frequency mode and thresholds, stability, the daily run's hour. */
export function ScoringSection({
  rfm,
  setRfm,
  errorAt,
  thresholdText,
  setThresholdText,
}: SectionProps & { thresholdText: string; setThresholdText: (text: string) => void }) {
  const { t } = useI18n();
  return (
    <Layout.AnnotatedSection title={t.settings.scoringTitle}>
      <Card>
        <FormLayout>
          <FormLayout.Group>
            <Select
              label={t.settings.scale}
              id="setting-scale"
              options={[
                { label: t.settings.scale5, value: "5" },
                { label: t.settings.scale4, value: "4" },
              ]}
              value={String(rfm.scale)}
              onChange={(v) => {
                const scale = Number(v) as 4 | 5;
                setThresholdText(DEFAULT_FREQUENCY_THRESHOLDS[scale].join(", "));
                setRfm({ scale, rules: null, frequencyThresholds: null });
              }}
            />
            <Select
              label={t.settings.window}
              id="setting-window"
              options={[
                { label: t.settings.windowAll, value: "" },
                { label: t.settings.window12, value: "12" },
                { label: t.settings.window24, value: "24" },
                { label: t.settings.window36, value: "36" },
              ]}
              value={rfm.windowMonths === null ? "" : String(rfm.windowMonths)}
              onChange={(v) => setRfm({ windowMonths: v === "" ? null : (Number(v) as 12 | 24 | 36) })}
            />
          </FormLayout.Group>
          <Select
            label={t.settings.frequencyMode}
            id="setting-frequency-mode"
            options={[
              { label: t.settings.frequencyRank, value: "rank" },
              { label: t.settings.frequencyThresholds, value: "thresholds" },
            ]}
            value={rfm.frequencyMode}
            onChange={(v) => setRfm({ frequencyMode: v as RfmSettings["frequencyMode"] })}
          />
          {rfm.frequencyMode === "thresholds" && (
            <TextField
              label={t.settings.thresholds}
              helpText={t.settings.thresholdsHelp}
              id="setting-thresholds"
              autoComplete="off"
              value={thresholdText}
              error={errorAt("rfm.frequencyThresholds")}
              onChange={(v) => {
                setThresholdText(v);
                setRfm({
                  frequencyThresholds: v
                    .split(/[,;\s]+/)
                    .filter(Boolean)
                    .map(int),
                });
              }}
            />
          )}
          <FormLayout.Group>
            <TextField
              label={t.settings.stability}
              helpText={t.settings.stabilityHelp}
              type="number"
              id="setting-stability"
              autoComplete="off"
              value={numText(rfm.stabilityRuns)}
              error={errorAt("rfm.stabilityRuns")}
              onChange={(v) => setRfm({ stabilityRuns: int(v) })}
            />
            <Select
              label={t.settings.dailyHour}
              id="setting-hour"
              options={HOURS}
              value={String(rfm.dailyRunHour)}
              onChange={(v) => setRfm({ dailyRunHour: Number(v) })}
            />
          </FormLayout.Group>
        </FormLayout>
      </Card>
    </Layout.AnnotatedSection>
  );
}
