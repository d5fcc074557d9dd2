import { BlockStack, Card, Text } from "@shopify/polaris";
import { useI18n } from "../../i18n/use-i18n";
import type { CustomerPageData } from "./customer-data";

/** The app's predictions for the customer, each figure with the sentence that explains it; or why there are none. */
export function CustomerPredictionCard({ prediction }: { prediction: NonNullable<CustomerPageData["prediction"]> }) {
  const { t: messages } = useI18n();
  const t = messages.customer;
  return (
    <Card>
      <BlockStack gap="300" id="customer-prediction">
        <Text as="h2" variant="headingMd">
          {t.predictionTitle}
        </Text>
        {prediction.kind === "none" ? (
          <Text as="p">{prediction.sentence}</Text>
        ) : (
          prediction.facts.map((f) => (
            <BlockStack gap="100" key={f.key}>
              <Text as="p" variant="headingSm">
                {t.prediction[f.key]}: {f.value}
              </Text>
              <Text as="p" tone="subdued">
                {f.explanation}
              </Text>
            </BlockStack>
          ))
        )}
      </BlockStack>
    </Card>
  );
}
