import { useEffect, useMemo, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import {
  useActionData,
  useLoaderData,
  useNavigation,
  useSubmit,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  ChoiceList,
  FormLayout,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { SaveBar, TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify/shopify.server";
import { db } from "../platform/db.server";
import { loadSettingsPage, saveSettings } from "../settings/settings.server";
import { InvalidSettingsError } from "../settings/settings.server";
import { enqueueShopJob, JOB } from "../pipeline/jobs.server";
import { resolveLocale } from "../i18n/locale.server";
import { fill, useI18n } from "../i18n/use-i18n";
import { RULE_SEGMENT_KEYS, SEGMENT_KEYS, DEFAULT_RULES, type SegmentRule } from "../domain/rfm/segments";
import { BEHAVIOUR_KEYS } from "../domain/rfm/behaviours";
import { PRESETS, presetForLocale } from "../i18n/rfm/presets";
import { DEFAULT_FREQUENCY_THRESHOLDS, type RfmSettings } from "../domain/rfm/settings";
import type { PeakSeason } from "../domain/peak-seasons";
import type { Messages } from "../i18n/messages";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { locale } = await resolveLocale(db(), session.shop, request);
  const page = await loadSettingsPage(db(), session.shop);
  return { ...page, autoPreset: presetForLocale(locale) };
};

/** A refused save keeps what the merchant typed: reload the stored settings only after a save that took. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  actionResult && typeof actionResult === "object" && "saved" in actionResult && !actionResult.saved
    ? false
    : defaultShouldRevalidate;

type ActionResult = { saved: true; problems: [] } | { saved: false; problems: { path: string; message: string }[] };

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { session } = await authenticate.admin(request);
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return { saved: false, problems: [{ path: "", message: "malformed JSON" }] };
  }
  try {
    await saveSettings(db(), session.shop, body);
  } catch (error) {
    if (error instanceof InvalidSettingsError) return { saved: false, problems: error.problems };
    throw error;
  }
  // New settings: score everyone again; write-back follows the run (tags, metafields, segments).
  await enqueueShopJob(JOB.rfmScore, session.shop);
  return { saved: true, problems: [] };
};

type Form = { rfm: RfmSettings; peakSeasons: PeakSeason[] };

/** Which message explains a problem at this path (the server's own text is English only). */
function errorText(path: string, t: Messages): string {
  if (path.startsWith("rfm.frequencyThresholds")) return t.errors.frequencyThresholds;
  if (path.startsWith("rfm.writeBack.tagPrefix")) return t.errors.tagPrefix;
  if (path.startsWith("rfm.rules")) return t.errors.rules;
  if (path.startsWith("rfm.names")) return t.errors.name;
  if (path.startsWith("rfm.behaviours.highValueMinSpend")) return t.errors.money;
  if (/^peakSeasons\.\d+\.(from|to)$/.test(path)) return t.errors.date;
  if (/(Days|Orders|Runs|Hour|days|daysBefore)$/.test(path)) return t.errors.number;
  return t.errors.generic;
}

const thresholdTextOf = (rfm: RfmSettings) =>
  (rfm.frequencyThresholds ?? DEFAULT_FREQUENCY_THRESHOLDS[rfm.scale]).join(", ");

const int = (v: string) => (v.trim() === "" ? Number.NaN : Number(v));
/** A cleared number field stays empty (NaN is sent as null and rejected on save). */
const numText = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? "" : String(n));

export default function SettingsPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const submit = useSubmit();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  const { t } = useI18n();
  const initial = useMemo<Form>(
    () => ({ rfm: loaded.rfm as RfmSettings, peakSeasons: loaded.peakSeasons as PeakSeason[] }),
    [loaded],
  );
  const [form, setForm] = useState<Form>(initial);
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
    return p ? errorText(p.path, t) : undefined;
  };
  const rfm = form.rfm;
  const setRfm = (patch: Partial<RfmSettings>) => setForm((f) => ({ ...f, rfm: { ...f.rfm, ...patch } }));
  const setBehaviours = (patch: Partial<RfmSettings["behaviours"]>) =>
    setRfm({ behaviours: { ...rfm.behaviours, ...patch } });
  const setWriteBack = (patch: Partial<RfmSettings["writeBack"]>) =>
    setRfm({ writeBack: { ...rfm.writeBack, ...patch } });
  const setPeak = (i: number, patch: Partial<PeakSeason>) =>
    setForm((f) => ({
      ...f,
      peakSeasons: f.peakSeasons.map((p, j) => (j === i ? ({ ...p, ...patch } as PeakSeason) : p)),
    }));
  const names = PRESETS[rfm.preset ?? loaded.autoPreset];
  const rules: SegmentRule[] = rfm.rules ?? DEFAULT_RULES[rfm.scale];
  const setRule = (i: number, patch: Partial<SegmentRule>) =>
    setRfm({ rules: rules.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const save = () => submit(JSON.stringify(form), { method: "post", encType: "application/json" });
  const hours = Array.from({ length: 24 }, (_, h) => ({ label: `${String(h).padStart(2, "0")}:00`, value: String(h) }));
  const scoreField = (i: number, dim: "r" | "f" | "m", side: 0 | 1) => (
    <TextField
      label={`${dim.toUpperCase()} ${side === 0 ? "≥" : "≤"}`}
      labelHidden={i > 0}
      type="number"
      autoComplete="off"
      value={numText(rules[i]?.[dim][side])}
      onChange={(v) => {
        const range = [...(rules[i]?.[dim] ?? [1, rfm.scale])] as [number, number];
        range[side] = int(v);
        setRule(i, { [dim]: range });
      }}
    />
  );

  return (
    <Page title={t.settings.title} backAction={{ content: t.common.back, url: "/app" }}>
      <TitleBar title={t.settings.title} />
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
                  <li key={p.path}>{errorText(p.path, t)}</li>
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
                  options={hours}
                  value={String(rfm.dailyRunHour)}
                  onChange={(v) => setRfm({ dailyRunHour: Number(v) })}
                />
              </FormLayout.Group>
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>

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

        <Layout.AnnotatedSection title={t.settings.rulesTitle} description={t.settings.rulesHelp}>
          <Card>
            <BlockStack gap="300">
              <Checkbox
                label={t.settings.rulesCustom}
                id="setting-rules-custom"
                checked={rfm.rules !== null}
                onChange={(on) => setRfm({ rules: on ? DEFAULT_RULES[rfm.scale].map((r) => ({ ...r })) : null })}
              />
              {errorAt("rfm.rules") && (
                <Text as="p" tone="critical" id="rules-error">
                  {errorAt("rfm.rules")}
                </Text>
              )}
              {rfm.rules !== null && (
                <BlockStack gap="200">
                  {rules.map((rule, i) => (
                    <InlineStack key={i} gap="200" blockAlign="end" wrap={false}>
                      <div style={{ minWidth: 170 }}>
                        <Select
                          label={t.settings.ruleSegment}
                          labelHidden={i > 0}
                          options={RULE_SEGMENT_KEYS.map((k) => ({ label: rfm.names[k] ?? names[k], value: k }))}
                          value={rule.segment}
                          onChange={(v) => setRule(i, { segment: v as SegmentRule["segment"] })}
                        />
                      </div>
                      {(["r", "f", "m"] as const).flatMap((dim) =>
                        [scoreField(i, dim, 0), scoreField(i, dim, 1)].map((el, k) => (
                          <div key={`${dim}${k}`} style={{ width: 70 }} id={`rule-${i}-${dim}-${k}`}>
                            {el}
                          </div>
                        )),
                      )}
                      <Button
                        variant="plain"
                        tone="critical"
                        onClick={() => setRfm({ rules: rules.filter((_, j) => j !== i) })}
                        accessibilityLabel="remove"
                      >
                        ✕
                      </Button>
                    </InlineStack>
                  ))}
                  <InlineStack>
                    <Button
                      onClick={() =>
                        setRfm({
                          rules: [
                            ...rules,
                            { segment: "lost", r: [1, rfm.scale], f: [1, rfm.scale], m: [1, rfm.scale] },
                          ],
                        })
                      }
                    >
                      +
                    </Button>
                  </InlineStack>
                </BlockStack>
              )}
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection title={t.settings.behavioursTitle}>
          <Card>
            <FormLayout>
              <FormLayout.Group>
                <TextField
                  label={t.settings.saleShopperMinOrders}
                  type="number"
                  autoComplete="off"
                  id="setting-sale-orders"
                  value={numText(rfm.behaviours.saleShopperMinOrders)}
                  error={errorAt("rfm.behaviours.saleShopperMinOrders")}
                  onChange={(v) => setBehaviours({ saleShopperMinOrders: int(v) })}
                />
                <TextField
                  label={t.settings.fallbackGap}
                  type="number"
                  autoComplete="off"
                  value={numText(rfm.behaviours.dissatisfiedFallbackGapDays)}
                  error={errorAt("rfm.behaviours.dissatisfiedFallbackGapDays")}
                  onChange={(v) => setBehaviours({ dissatisfiedFallbackGapDays: int(v) })}
                />
              </FormLayout.Group>
              <TextField
                label={t.settings.brandVendors}
                autoComplete="off"
                value={vendorText}
                error={errorAt("rfm.behaviours.brandVendors")}
                onChange={(v) => {
                  setVendorText(v);
                  setBehaviours({
                    brandVendors: v
                      .split(",")
                      .map((s) => s.trim())
                      .filter(Boolean),
                  });
                }}
              />
              <FormLayout.Group>
                <TextField
                  label={t.settings.highValueMinSpend}
                  autoComplete="off"
                  id="setting-high-value"
                  value={rfm.behaviours.highValueMinSpend ?? ""}
                  error={errorAt("rfm.behaviours.highValueMinSpend")}
                  onChange={(v) =>
                    setBehaviours({ highValueMinSpend: v.trim() === "" ? null : v.trim().replace(",", ".") })
                  }
                />
                <TextField
                  label={t.settings.highValueInactiveDays}
                  type="number"
                  autoComplete="off"
                  value={numText(rfm.behaviours.highValueInactiveDays)}
                  error={errorAt("rfm.behaviours.highValueInactiveDays")}
                  onChange={(v) => setBehaviours({ highValueInactiveDays: int(v) })}
                />
              </FormLayout.Group>
              <FormLayout.Group>
                <TextField
                  label={t.settings.lostEngagedVisitDays}
                  type="number"
                  autoComplete="off"
                  value={numText(rfm.behaviours.lostEngagedVisitDays)}
                  error={errorAt("rfm.behaviours.lostEngagedVisitDays")}
                  onChange={(v) => setBehaviours({ lostEngagedVisitDays: int(v) })}
                />
                <TextField
                  label={t.settings.lostEngagedClickDays}
                  type="number"
                  autoComplete="off"
                  value={numText(rfm.behaviours.lostEngagedClickDays)}
                  error={errorAt("rfm.behaviours.lostEngagedClickDays")}
                  onChange={(v) => setBehaviours({ lostEngagedClickDays: int(v) })}
                />
              </FormLayout.Group>
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection title={t.settings.peakTitle} description={t.settings.peakHelp}>
          <Card>
            <FormLayout>
              {form.peakSeasons.map((p, i) =>
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
      </Layout>
    </Page>
  );
}
