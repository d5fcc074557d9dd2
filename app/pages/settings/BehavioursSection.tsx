import { Card, FormLayout, Layout, TextField } from "@shopify/polaris";
import { fill, useI18n } from "../../i18n/use-i18n";
import type { RfmSettings } from "../../domain/rfm/settings";
import { int, numText, percentText, type PresetNames, type SectionProps } from "./settings-form";

/**
 * The thresholds of the behavioural segments (sale shopper, brand loyal, high value, lost but engaged…), each
 * labelled with the segment's name as the merchant sees it everywhere else (their rename, else the preset's).
 */
export function BehavioursSection({
  rfm,
  setRfm,
  errorAt,
  names,
  vendorText,
  setVendorText,
}: SectionProps & { names: PresetNames; vendorText: string; setVendorText: (text: string) => void }) {
  const { t } = useI18n();
  const label = (template: string, key: keyof PresetNames) => fill(template, { name: rfm.names[key] ?? names[key] });
  const setBehaviours = (patch: Partial<RfmSettings["behaviours"]>) =>
    setRfm({ behaviours: { ...rfm.behaviours, ...patch } });
  return (
    <Layout.AnnotatedSection title={t.settings.behavioursTitle}>
      <Card>
        <FormLayout>
          <FormLayout.Group>
            <TextField
              label={label(t.settings.saleShopperMinOrders, "sale_shopper")}
              type="number"
              autoComplete="off"
              id="setting-sale-orders"
              value={numText(rfm.behaviours.saleShopperMinOrders)}
              error={errorAt("rfm.behaviours.saleShopperMinOrders")}
              onChange={(v) => setBehaviours({ saleShopperMinOrders: int(v) })}
            />
            <TextField
              label={label(t.settings.fallbackGap, "dissatisfied")}
              type="number"
              autoComplete="off"
              value={numText(rfm.behaviours.dissatisfiedFallbackGapDays)}
              error={errorAt("rfm.behaviours.dissatisfiedFallbackGapDays")}
              onChange={(v) => setBehaviours({ dissatisfiedFallbackGapDays: int(v) })}
            />
          </FormLayout.Group>
          <TextField
            label={label(t.settings.brandVendors, "brand_loyal")}
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
              label={label(t.settings.highValueMinSpend, "high_value_at_risk")}
              autoComplete="off"
              id="setting-high-value"
              value={rfm.behaviours.highValueMinSpend ?? ""}
              error={errorAt("rfm.behaviours.highValueMinSpend")}
              onChange={(v) =>
                setBehaviours({ highValueMinSpend: v.trim() === "" ? null : v.trim().replace(",", ".") })
              }
            />
            <TextField
              label={label(t.settings.highValueInactiveDays, "high_value_at_risk")}
              type="number"
              autoComplete="off"
              value={numText(rfm.behaviours.highValueInactiveDays)}
              error={errorAt("rfm.behaviours.highValueInactiveDays")}
              onChange={(v) => setBehaviours({ highValueInactiveDays: int(v) })}
            />
          </FormLayout.Group>
          <FormLayout.Group>
            <TextField
              label={label(t.settings.churnMaxPAlive, "likely_to_churn")}
              type="number"
              autoComplete="off"
              id="setting-churn-p-alive"
              value={percentText(rfm.behaviours.churnMaxPAlive)}
              error={errorAt("rfm.behaviours.churnMaxPAlive")}
              onChange={(v) => setBehaviours({ churnMaxPAlive: int(v) / 100 })}
            />
            <TextField
              label={label(t.settings.orderSoonMinP, "ordering_soon")}
              type="number"
              autoComplete="off"
              id="setting-order-soon-p"
              value={percentText(rfm.behaviours.orderSoonMinP)}
              error={errorAt("rfm.behaviours.orderSoonMinP")}
              onChange={(v) => setBehaviours({ orderSoonMinP: int(v) / 100 })}
            />
          </FormLayout.Group>
          <FormLayout.Group>
            <TextField
              label={label(t.settings.lostEngagedVisitDays, "lost_engaged")}
              type="number"
              autoComplete="off"
              value={numText(rfm.behaviours.lostEngagedVisitDays)}
              error={errorAt("rfm.behaviours.lostEngagedVisitDays")}
              onChange={(v) => setBehaviours({ lostEngagedVisitDays: int(v) })}
            />
            <TextField
              label={label(t.settings.lostEngagedClickDays, "lost_engaged")}
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
  );
}
