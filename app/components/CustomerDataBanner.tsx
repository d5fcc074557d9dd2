import { Banner, Layout } from "@shopify/polaris";
import { fill, useI18n } from "../i18n/use-i18n";

type Field = "name" | "email" | "phone" | "address";
const FIELDS: Field[] = ["name", "email", "phone", "address"];

/** Whether Shopify withholds this field of every customer from the app (the rows then say so, not "without name"). */
export function isWithheld(notice: { access: string | null; redacted: string[] }, field: Field): boolean {
  return notice.access === "denied" || (notice.access === "redacted" && notice.redacted.includes(field));
}

/**
 * What Shopify withholds from the app (protected customer data), and how access is requested. Every page that
 * shows customers renders it once, at the top of its layout.
 */
export function CustomerDataBanner({ access, redacted }: { access: string | null; redacted: string[] }) {
  const { t } = useI18n();
  if (access === "denied")
    return (
      <Layout.Section>
        <div id="customer-data-denied">
          <Banner tone="critical">{t.home.customerDataDenied}</Banner>
        </div>
      </Layout.Section>
    );
  const fields = FIELDS.filter((f) => redacted.includes(f));
  if (access !== "redacted" || fields.length === 0) return null;
  return (
    <Layout.Section>
      <div id="customer-data-redacted">
        <Banner tone="warning">
          {fill(t.home.customerDataRedacted, { fields: fields.map((f) => t.home.customerDataFields[f]).join(", ") })}
        </Banner>
      </div>
    </Layout.Section>
  );
}
