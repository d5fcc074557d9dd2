import { InlineStack, Link, Text } from "@shopify/polaris";
import { fill, useI18n } from "../i18n/use-i18n";
import type { Messages } from "../i18n/messages";

/** What stands for a customer: the name, else "Name withheld" (Shopify redacts names) or "Customer without name". */
export function customerLabel(name: string | null, withheld: boolean, common: Messages["common"]): string {
  return name ?? (withheld ? common.nameWithheld : common.customerWithoutName);
}

/**
 * A customer as a person: the name (linked when a url is given); without one, "Customer without name" — or
 * "Name withheld" when Shopify redacts names for the app — with the id small beside it, never the id as the name.
 */
export function CustomerName({
  id,
  name,
  url,
  withheld = false,
}: {
  id: string;
  name: string | null;
  url?: string;
  withheld?: boolean;
}) {
  const { t } = useI18n();
  const label = customerLabel(name, withheld, t.common);
  const text = url ? (
    <Link url={url} removeUnderline>
      {label}
    </Link>
  ) : (
    <Text as="span">{label}</Text>
  );
  if (name) return text;
  return (
    <InlineStack gap="100" blockAlign="baseline" wrap={false}>
      {text}
      <Text as="span" variant="bodySm" tone="subdued">
        {fill(t.common.customerId, { id })}
      </Text>
    </InlineStack>
  );
}

/** A customer's email, or what stands in its place: a dash when Shopify has none, "Withheld" when redacted. */
export function CustomerEmail({ email, withheld = false }: { email: string | null; withheld?: boolean }) {
  const { t } = useI18n();
  if (email) return <>{email}</>;
  return (
    <Text as="span" tone="subdued">
      {withheld ? t.common.emailWithheld : "—"}
    </Text>
  );
}
