import { BlockStack, Button, Card, Checkbox, InlineStack, Layout, Select, Text, TextField } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import { RULE_SEGMENT_KEYS, DEFAULT_RULES, type SegmentRule } from "../../domain/rfm/segments";
import { int, numText, type PresetNames, type SectionProps } from "./settings-form";

/** The merchant's own segment table: score ranges per segment, first match wins. */
export function RulesSection({ rfm, setRfm, errorAt, names }: SectionProps & { names: PresetNames }) {
  const { t } = useI18n();
  const rules: SegmentRule[] = rfm.rules ?? DEFAULT_RULES[rfm.scale];
  const setRule = (i: number, patch: Partial<SegmentRule>) =>
    setRfm({ rules: rules.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  // Only the first row shows its labels; every row's fields keep a label of their own for screen readers.
  const rowLabel = (label: string, i: number) => (i === 0 ? label : fill(t.settings.ruleRow, { label, n: i + 1 }));
  const scoreField = (i: number, dim: "r" | "f" | "m", side: 0 | 1) => (
    <TextField
      label={rowLabel(`${dim.toUpperCase()} ${side === 0 ? "≥" : "≤"}`, i)}
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
                      label={rowLabel(t.settings.ruleSegment, i)}
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
                    accessibilityLabel={fill(t.settings.ruleRemove, { n: i + 1 })}
                  >
                    ✕
                  </Button>
                </InlineStack>
              ))}
              <InlineStack>
                <Button
                  accessibilityLabel={t.settings.ruleAdd}
                  onClick={() =>
                    setRfm({
                      rules: [...rules, { segment: "lost", r: [1, rfm.scale], f: [1, rfm.scale], m: [1, rfm.scale] }],
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
  );
}
