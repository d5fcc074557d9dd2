import { BlockStack, Text } from "@shopify/polaris";

/** A small label over a value, as Shopify's own admin shows key figures. */
export function Fact({ label, value, id }: { label: string; value: string; id?: string }) {
  return (
    <BlockStack gap="100" id={id}>
      <Text as="span" variant="bodySm" tone="subdued">
        {label}
      </Text>
      <Text as="span" variant="bodyMd" fontWeight="semibold">
        {value}
      </Text>
    </BlockStack>
  );
}
