import { Card, FormLayout, Layout, TextField } from "@shopify/polaris";
import { useI18n } from "../../i18n/use-i18n";
import { int, percentText, type SectionProps } from "./settings-form";

/** What the prediction job (rfm.predict) takes from the merchant: the discount rate of the 12-month value. */
export function PredictionsSection({ rfm, setRfm, errorAt }: SectionProps) {
  const { t } = useI18n();
  return (
    <Layout.AnnotatedSection title={t.settings.predictionsTitle}>
      <Card>
        <FormLayout>
          <TextField
            label={t.settings.annualDiscountRate}
            helpText={t.settings.annualDiscountRateHelp}
            type="number"
            autoComplete="off"
            id="setting-discount-rate"
            value={percentText(rfm.predictions.annualDiscountRate)}
            error={errorAt("rfm.predictions.annualDiscountRate")}
            onChange={(v) => setRfm({ predictions: { ...rfm.predictions, annualDiscountRate: int(v) / 100 } })}
          />
        </FormLayout>
      </Card>
    </Layout.AnnotatedSection>
  );
}
